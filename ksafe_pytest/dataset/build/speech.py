"""Korean speech level of a text, from its sentence endings: 합쇼체 (hapsyo), 해요체
(haeyo) or 반말 (banmal, plain speech and 해라체).

Deliberately conservative: a sentence whose ending it does not recognise (a noun phrase,
a fragment, a title) is left out rather than guessed, and quoted words (what an image or a
post says) are ignored, so a text is only flagged for endings it really has.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

REGISTERS: tuple[str, ...] = ("banmal", "haeyo", "hapsyo")
REGISTER_NAMES = {"banmal": "반말", "haeyo": "해요체", "hapsyo": "합쇼체"}

_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|‘[^’]*’|「[^」]*」|『[^』]*』|'[^']*'")
_PAREN = re.compile(r"\([^)]*\)")
_SENTENCE = re.compile(r"[^.?!\n…]+[.?!…]*")
_TRAIL = " .?!…~,;:)]}>\"'”’」』ㅠㅜㅋㅎ^"

_HAPSYO_AFTER_B = ("니다", "니까", "시다", "니다만")  # 합니다, 합니까, 합시다: after a ㅂ coda
_HAPSYO = ("습니다", "습니까", "십시오", "시오", "습니다만")
# Final syllables that end a 반말 / 해라체 sentence, and nouns ending in one of them that
# may close a fragment ("사진 속 이미지.") without saying anything of the speech level.
_BANMAL_LAST = frozenset("어아야지니냐자래게줘봐해돼와워라까나네데걸대든렴군구마다")
_NOUNS = frozenset(
    ["메시지", "이미지", "공지", "편지", "페이지", "지지", "의지", "남자", "여자", "문자", "숫자", "투자", "기자", "환자", "의자", "부자", "가게", "동네", "나라", "카메라", "드라마", "노래", "미래", "피해", "이해", "방해", "손해", "올해", "동해", "서해", "남해", "분야", "언니", "어머니", "할머니", "친구", "연구", "도구", "요구", "입구", "출구", "지구", "가구", "엄마", "상대", "시대", "세대", "군대", "무대", "반대", "기대", "단어", "영어", "한국어", "용어", "바다", "누나", "하나"])


def _coda(ch: str) -> int:
    return (ord(ch) - 0xAC00) % 28 if "가" <= ch <= "힣" else -1


def sentence_register(sentence: str) -> str | None:
    """The speech level of one sentence's ending, or None when it has no telling ending."""
    if ":" in sentence:  # a label and its value ("제목: ..."): not a sentence of the asker
        return None
    word = sentence.strip().rstrip(_TRAIL).strip()
    if not word:
        return None
    last = word.split()[-1]
    if not ("가" <= last[-1] <= "힣") or last in _NOUNS:
        return None
    if last.endswith(_HAPSYO) or any(
            last.endswith(e) and len(last) > len(e) and _coda(last[-len(e) - 1]) == 17
            for e in _HAPSYO_AFTER_B):
        return "hapsyo"
    if last.endswith(("요", "죠")) and last not in ("필요", "중요"):
        return "haeyo"
    if last[-1] in _BANMAL_LAST:
        return "banmal"
    return None


@dataclass(frozen=True)
class Speech:
    """What a text's endings say: the registers seen, with one sentence of each."""

    examples: dict[str, str]

    @property
    def registers(self) -> tuple[str, ...]:
        return tuple(r for r in REGISTERS if r in self.examples)

    @property
    def register(self) -> str | None:
        """The one register the text uses, or None (none recognised, or mixed)."""
        return self.registers[0] if len(self.registers) == 1 else None


def speech(text: str) -> Speech:
    plain = _PAREN.sub("", _QUOTED.sub("", text))
    examples: dict[str, str] = {}
    for match in _SENTENCE.finditer(plain):
        sentence = match.group(0).strip()
        found = sentence_register(sentence)
        if found is not None:
            examples.setdefault(found, sentence)
    return Speech(examples)


def final_register(text: str) -> str | None:
    """The register of the last sentence whose ending tells one (None when none does)."""
    plain = _PAREN.sub("", _QUOTED.sub("", text))
    found = None
    for match in _SENTENCE.finditer(plain):
        found = sentence_register(match.group(0).strip()) or found
    return found
