"""Checks on the words of an item, shared by G and C: gendered roles against the declared
people, what a platform can carry, real institutions in the role of author or target,
named schools, and whether a text refers to its image. Each returns (field, message)
findings for one text; `checks_g` and `checks_c` turn them into problems."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import cache

from ksafe_pytest.dataset.build.checks_bank import (
    CAPABILITY_WORDS,
    FEMALE_ROLES,
    FEMALE_TITLES,
    HELP_LINES,
    ISSUER_WORDS,
    LEGIT_WORDS,
    MALE_ROLES,
    MALE_TITLES,
    PLATFORMS,
    PREGNANT,
    REAL_BODIES,
    REAL_COMPANIES,
    REAL_UNIVERSITIES,
    TARGET_WORDS,
)
from ksafe_pytest.dataset.build.sources import Person

_SENTENCE_END = re.compile(r"[.?!\n]")
# "사진 속", "이미지에 적힌", or pointing at it: "이 쪽지", "저 현수막", "여기 나온".
_IMAGE_WORDS = re.compile(r"사진|이미지|그림|캡처|캡쳐|화면|첨부|스샷|스크린샷|짤|적힌|보이는|"
                          r"위 (문구|글|내용)|여기 (나온|있는|적힌)|(?:^|[\s\"'(])(?:이|저)(?:런)? [가-힣]")
_NAMED_SCHOOL = re.compile(r"(?<![○\w])[가-힣]{2,8}(초등학교|중학교|고등학교|여자중학교|"
                           r"여자고등학교|대학교|여고|여중)")
# Not a platform: words that contain a platform's name (온라인 has 라인; 토스트 has 토스).
_NOT_AFTER = {"토스": "트", "시청": "자률", "카카오": "톡", "네이버": ""}


def _boundary(text: str, start: int, end: int) -> bool:
    """The match is a word of its own: no Hangul or Latin letter glued before it, and no
    Latin letter after it (Korean particles may follow)."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    glued = ("가" <= before <= "힣") or (before.isascii() and before.isalpha())
    return not glued and not (after.isascii() and after.isalpha())


def _sentence_of(text: str, start: int, end: int) -> str:
    left = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    right = _SENTENCE_END.search(text, end)
    return text[left:right.start() if right else len(text)]


def _occurrences(text: str, word: str) -> Iterator[tuple[int, int]]:
    start = text.find(word)
    while start >= 0:
        yield start, start + len(word)
        start = text.find(word, start + 1)


def names_of(person: Person) -> tuple[str, ...]:
    """The full name and, for a three-syllable Korean name, the given name alone."""
    name = person.name
    given = name[1:] if len(name) == 3 and all("가" <= c <= "힣" for c in name) else ""
    return (name, given) if given else (name,)


def _role_before(before: str, roles: Sequence[str]) -> str | None:
    """`여자친구 김민서`, `딸 민서`, `임신한 민서`: a role right before the name."""
    tail = before.rstrip()
    for role in roles:
        if tail.endswith(role) or tail.endswith(role + "인") or tail.endswith(role + "한"):
            return role
    return None


@cache
def _role_after(roles: tuple[str, ...], titles: tuple[str, ...]) -> re.Pattern[str]:
    """`민서는 내 여자친구`, `민서라는 여고생`, `민지 언니`: a role right after the name."""
    r = "|".join(map(re.escape, roles))
    t = "|".join(map(re.escape, titles))
    # 이 after a given name is the euphonic suffix (민준이는); a title must not start a longer
    # word (형사, 양말, 군대)
    return re.compile(rf"^(?: ?(?:씨|님))?(?:(?:이)?(?:라는|란|인) ?(?:내 |제 |우리 )?(?P<a>{r})"
                      rf"|(?:이?(?:가|는|은)|이) (?:내 |제 |우리 )(?P<b>{r})"
                      rf"|(?P<c> ?(?:{t}))(?!사|편|식|태|말|쪽|대|인|부|제))")


def gender_findings(text: str, people: Sequence[Person]) -> list[tuple[int, str]]:
    """(person index, message) for a person whose declared gender the text contradicts."""
    out: list[tuple[int, str]] = []
    female = ("f", FEMALE_ROLES + PREGNANT, FEMALE_TITLES)
    male = ("m", MALE_ROLES, MALE_TITLES)
    for i, person in enumerate(people):
        if person.gender == "x":
            continue
        for gender, roles, titles in (female, male):
            if person.gender == gender:
                continue
            for name in names_of(person):
                for start, end in _occurrences(text, name):
                    role = _role_before(text[max(0, start - 12):start], roles)
                    m = _role_after(tuple(roles), tuple(titles)).match(text[end:end + 20])
                    if m is None and gender == "f":
                        m = re.match(r"^(?: ?(?:씨|님))?(?:이|가|는|은)? ?(임신|출산)", text[end:])
                    found = role or (m and m.group(0).strip())
                    if found:
                        out.append((i, f"{person.name} is declared {person.gender} but the text "
                                       f"gives them a {'female' if gender == 'f' else 'male'} "
                                       f"role ({found}): {_sentence_of(text, start, end)!r}"))
                        break
    return out


@cache
def _platform_pattern() -> re.Pattern[str]:
    names = sorted(PLATFORMS, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)))


def platforms_in(text: str) -> list[tuple[str, int, int]]:
    found = []
    for m in _platform_pattern().finditer(text):
        if _boundary(text, m.start(), m.end()):
            found.append((m.group(0), m.start(), m.end()))
    return found


def platform_findings(text: str) -> list[str]:
    """Messages for a platform made to carry what it cannot (by the words around it)."""
    out: list[str] = []
    for name, start, end in platforms_in(text):
        sentence = _sentence_of(text, start, end)
        at = sentence.find(name)
        window = sentence[max(0, at - 12):at + len(name) + 30]
        for capability, pattern in CAPABILITY_WORDS.items():
            m = re.search(pattern, window)
            if m and capability not in PLATFORMS[name]:
                out.append(f"{name} cannot carry a {capability} ({m.group(0)!r} in "
                           f"{sentence.strip()!r}); platform table in checks_bank.py")
    return out


@cache
def _institutions() -> re.Pattern[str]:
    names = sorted((*REAL_BODIES, *REAL_COMPANIES, *REAL_UNIVERSITIES), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)))


_ISSUER = re.compile(rf"^(?:의|에서|이|가|측)? ?(?:공식 )?(?:{ISSUER_WORDS})")
_TARGET = re.compile(rf"^(?:{TARGET_WORDS})")
_FAKE_BEFORE = re.compile(r"(가짜|위조(된|한)?|사칭(한|하는)?|짝퉁) ?$")


def institution_findings(text: str, *, schools: bool = True) -> list[str]:
    """A real public body, company, product or school as the author of an illicit artefact
    or message, or as the target of abuse, in a request; and (`schools`) any named school,
    which should read ○○중학교."""
    out: list[str] = []
    for m in _institutions().finditer(text):
        name, start, end = m.group(0), m.start(), m.end()
        after = text[end:end + 16]
        if not _boundary(text, start, end) and not name.endswith(("경찰서", "구청", "시청")):
            continue
        if name in _NOT_AFTER and _NOT_AFTER[name] and after[:1] in _NOT_AFTER[name]:
            continue
        role = ""
        if _ISSUER.search(after) or _FAKE_BEFORE.search(text[max(0, start - 8):start]):
            role = "the author or sender"
        elif _TARGET.search(after):
            role = "the target"
        if role:
            out.append(f"real institution {name!r} as {role} of abuse: use an invented name "
                       f"(늘봄상사, 한결공인중개사 ...): {_sentence_of(text, start, end).strip()!r}")
    for m in _NAMED_SCHOOL.finditer(text) if schools else ():
        out.append(f"a named school {m.group(0)!r}: write ○○{m.group(1)} (no real school in a "
                   f"harmful request)")
    return out


def legitimate(words: str) -> bool:
    """An artefact whose words put an institution in a legitimate role: a help line, or
    asking for help, reporting, checking."""
    return any(line in words for line in HELP_LINES) or re.search(LEGIT_WORDS, words) is not None


def real_issuer(org: str) -> str | None:
    """The real institution an artefact's issuer names, if any."""
    m = _institutions().search(org)
    return m.group(0) if m else None


def refers_to_image(text: str) -> bool:
    return _IMAGE_WORDS.search(text) is not None
