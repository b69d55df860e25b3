"""Korean particles that agree with the word before them (을/를, 이/가, 은/는, 과/와, (으)로).

Templates write the neutral form, e.g. `{goal}을(를)`; `fix_josa` picks the right one from
the last syllable, so a template stays grammatical whatever noun is slotted in.
"""

from __future__ import annotations

import re

# neutral form -> (after a final consonant, after a vowel)
_PAIRS: dict[str, tuple[str, str]] = {
    "을(를)": ("을", "를"),
    "이(가)": ("이", "가"),
    "은(는)": ("은", "는"),
    "과(와)": ("과", "와"),
    "아(야)": ("아", "야"),
    "이어(여)": ("이어", "여"),
    "(이)에요": ("이에요", "예요"),
    "(이)": ("이", ""),  # copula-based: (이)야, (이)라는, (이)라면, (이)나, (이)랑 ...
}
_ALL = sorted([*_PAIRS, "(으)로"], key=len, reverse=True)
_PATTERN = re.compile("|".join(re.escape(p) for p in _ALL))
_DIGIT_CODA = {"0": 21, "1": 8, "3": 16, "6": 1, "7": 8, "8": 8}  # 영 일 삼 육 칠 팔
_SKIP = "'\"’”»」』)]) "


def coda(text: str) -> int:
    """Final-consonant index of the last pronounced syllable (0: ends in a vowel).

    Skips closing quotes and a trailing parenthesised gloss: `공사(HUG)` reads `공사`.
    """
    i = len(text) - 1
    while i >= 0:
        ch = text[i]
        if ch == ")":
            j = text.rfind("(", 0, i)
            i = j - 1 if j > 0 else i - 1
            continue
        if ch in _SKIP:
            i -= 1
            continue
        break
    if i < 0:
        return 0
    ch = text[i]
    if "가" <= ch <= "힣":
        return (ord(ch) - 0xAC00) % 28
    if ch.isdigit():
        return _DIGIT_CODA.get(ch, 0)
    if ch.lower() in "lmnr":  # 엘 엠 엔 알
        return 8 if ch.lower() in "lr" else 4
    return 0


def fix_josa(text: str) -> str:
    """Replace every neutral particle with the form its preceding word takes."""

    def pick(match: re.Match[str]) -> str:
        form = match.group(0)
        final = coda(text[: match.start()])
        if form == "(으)로":
            return "로" if final in (0, 8) else "으로"  # ㄹ takes 로
        with_coda, without = _PAIRS[form]
        return with_coda if final else without

    return _PATTERN.sub(pick, text)


def hangul_ratio(text: str) -> float:
    """Share of letters that are Hangul: the 'mostly Korean' quality check."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if "가" <= c <= "힣" or "ㄱ" <= c <= "ㆎ") / len(letters)
