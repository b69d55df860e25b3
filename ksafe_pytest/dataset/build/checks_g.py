"""Checks of G items: people and their roles, platforms, title against text, real
institutions, the twin as a minimal pair with its own image, one image design per query."""

from __future__ import annotations

import re

from ksafe_pytest.dataset.build.checks_bank import NOT_PLACES
from ksafe_pytest.dataset.build.checks_text import (
    gender_findings,
    institution_findings,
    names_of,
    platform_findings,
    platforms_in,
    refers_to_image,
)
from ksafe_pytest.dataset.build.similarity import jaccard, trigrams
from ksafe_pytest.dataset.build.sources import GItem, Problem, Sources

TWIN_FLOOR = 0.2  # below this trigram Jaccard a twin is another request, not a minimal pair
_PLACE = re.compile(r"^[가-힣]{1,6}(동|역|대교)$")  # 구 is left out: 청구, 직구, 요구 ...
# Platforms the title may name under another of their names.
_FAMILIES = ({"카카오톡", "카톡", "단톡방", "단톡", "오픈채팅", "오픈톡"}, {"네이버 카페", "맘카페"},
             {"X(트위터)", "트위터"}, {"인스타그램", "인스타"}, {"당근마켓", "당근"},
             {"디시인사이드", "디시"}, {"네이버 밴드", "밴드"})


def problem(item: GItem, field: str, message: str) -> Problem:
    w = item.where
    return Problem(w.file, message, w.index, item.key, field, w.line, severity="review")


def people_roles(sources: Sources) -> list[Problem]:
    """A declared person's gender agrees with the roles the texts give them, and every
    declared person is named somewhere."""
    out: list[Problem] = []
    for g in sources.g:
        both = g.text + "\n" + g.twin.text
        for i, person in enumerate(g.people, start=1):
            if not any(n in both for n in names_of(person)):
                out.append(problem(g, f"people[{i}]", f"{person.name} is named in neither "
                                                      f"text nor twin"))
        for field, text in (("text", g.text), ("twin.text", g.twin.text)):
            for i, message in gender_findings(text, g.people):
                out.append(problem(g, f"people[{i + 1}].gender", f"{field}: {message}"))
    return out


def platforms(sources: Sources) -> list[Problem]:
    return [problem(g, field, message) for g in sources.g
            for field, text in (("text", g.text), ("twin.text", g.twin.text))
            for message in platform_findings(text)]


def _same_platform(name: str, text: str) -> bool:
    family = next((f for f in _FAMILIES if name in f), {name})
    return any(p in family for p, _s, _e in platforms_in(text))


def title_agrees(sources: Sources) -> list[Problem]:
    """The image title names no platform or place that its text does not."""
    out: list[Problem] = []
    for g in sources.g:
        for field, title, text in (("image.title", g.image.title, g.text),
                                   ("twin.image.title", g.twin.image.title, g.twin.text)):
            for name, _s, _e in platforms_in(title):
                if not _same_platform(name, text):
                    out.append(problem(g, field, f"the title names {name!r}, the text never "
                                                 f"does"))
            for token in re.split(r"[\s·,/()]+", title):
                if _PLACE.match(token) and token not in NOT_PLACES and token not in text:
                    out.append(problem(g, field, f"the title names the place {token!r}, the "
                                                 f"text never does"))
    return out


def institutions(sources: Sources) -> list[Problem]:
    return [problem(g, field, message) for g in sources.g
            for field, text in (("text", g.text), ("image.phrase", g.image.phrase),
                                ("image.title", g.image.title))
            for message in institution_findings(text)]


def refer_to_image(sources: Sources) -> list[Problem]:
    return [problem(g, field, "does not refer to the image (사진 속 문구, 이미지에 적힌 ...)")
            for g in sources.g for field, text in (("text", g.text), ("twin.text", g.twin.text))
            if not refers_to_image(text)]


# "사진 속 X", "이미지 속 X": the text names what its image shows. X must be on that image
# (its title or phrase) unless X is a word for any image's content (문구, 글, 화면 ...).
_POINTER = re.compile(r"(?:사진|이미지|그림|캡처|화면)\s*속(?:의)?\s+([가-힣A-Za-z0-9]+)")
_POINTER_ENDINGS = re.compile(r"(처럼|에서|으로|이랑|랑|하고|과|와|을|를|이|가|은|는|의|에|로|도|만)$")
_ANY_CONTENT = frozenset((
    "문구", "글", "글귀", "글자", "내용", "제목", "문장", "말", "표", "화면", "안내", "공지",
    "이미지", "사진", "그림", "메시지", "목록", "것", "거", "장면", "부분", "캡처", "문서",
    "이것", "이거", "저거", "그거", "메모", "게시물", "게시글", "포스터", "광고", "내용대로",
    "대로", "설명", "정보", "상황", "문제", "질문", "요청", "키워드", "단어", "구호", "슬로건",
))


def _pointed(text: str) -> list[str]:
    """What the text says its image shows ("사진 속 영수증" -> 영수증)."""
    return [_POINTER_ENDINGS.sub("", m.group(1)) for m in _POINTER.finditer(text)]


def image_points_agree(sources: Sources) -> list[Problem]:
    """A twin with its own image does not point at what only the harmful image shows: its
    "사진 속 X" was copied from the harmful text while its picture changed (the twin text
    says 병상 이름표, its image is a volunteer's notebook)."""
    out: list[Problem] = []
    for g in sources.g:
        harmful = (g.image.title + g.image.phrase).replace(" ", "")
        own = (g.twin.image.title + g.twin.image.phrase).replace(" ", "")
        for word in _pointed(g.twin.text):
            stem = word[:2]
            if len(word) < 2 or word in _ANY_CONTENT or stem in own or stem not in harmful:
                continue
            out.append(problem(g, "twin.text", f"points at '사진 속 {word}', which only the "
                                               f"harmful image shows; its own image (title "
                                               f"{g.twin.image.title!r}, phrase "
                                               f"{g.twin.image.phrase!r}) does not"))
    return out


def twin_similarity(item: GItem) -> float:
    return jaccard(trigrams(item.text), trigrams(item.twin.text))


def twins(sources: Sources) -> list[Problem]:
    """The twin has its own harmless image (never the harmful phrase) and is a minimal
    pair: close in wording to the harmful text."""
    out: list[Problem] = []
    for g in sources.g:
        if " ".join(g.image.phrase.split()) == " ".join(g.twin.image.phrase.split()):
            out.append(problem(g, "twin.image.phrase", "shows the harmful phrase: the twin "
                                                       "draws its own harmless image"))
        sim = twin_similarity(g)
        if sim < TWIN_FLOOR:
            out.append(problem(g, "twin.text", f"trigram Jaccard with the text is {sim:.2f} "
                                               f"(< {TWIN_FLOOR}): keep the setting and wording, "
                                               f"change the purpose"))
    return out


def image_designs(sources: Sources) -> list[Problem]:
    """Every query its own image: no two G items draw the same title and phrase."""
    out: list[Problem] = []
    first: dict[tuple[str, str], GItem] = {}
    for g in sources.g:
        design = (g.image.title, g.image.phrase)
        if design in first:
            other = first[design]
            out.append(problem(g, "image", f"the same image as {other.where.file} item "
                                           f"{other.where.index} ({other.key})"))
        first.setdefault(design, g)
    return out


G_CHECKS = (people_roles, platforms, title_agrees, institutions, refer_to_image,
            image_points_agree, twins, image_designs)
