"""Content checks over the loaded sources, run by `ksafe build` (and `--check`): each
returns `Problem`s naming the file, item, key and field. A check is a plain function of the
sources, so a test can make each one fail on a small hand-made item."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from ksafe_pytest.dataset.build.similarity import THRESHOLD, near_duplicates
from ksafe_pytest.dataset.build.sources import CItem, GItem, Problem, Sources
from ksafe_pytest.dataset.build.speech import REGISTER_NAMES, speech

Item = GItem | CItem
Check = Callable[[Sources], list[Problem]]


def problem(item: Item, field: str, message: str) -> Problem:
    w = item.where
    return Problem(w.file, message, w.index, item.key, field, w.line)


def unique_keys(sources: Sources) -> list[Problem]:
    out: list[Problem] = []
    for items in (sources.g, sources.c):
        first: dict[str, Item] = {}
        for item in items:
            if item.key in first:
                seen = first[item.key].where
                out.append(problem(item, "key", f"duplicate key (first in {seen.file} item "
                                                f"{seen.index})"))
            else:
                first[item.key] = item
    return out


def _duplicates(items: Sequence[Item], part: str) -> list[Problem]:
    out: list[Problem] = []
    for pair in near_duplicates([i.text for i in items]):
        a, b = items[pair.first], items[pair.second]
        out.append(problem(b, "text", f"near-duplicate of {a.where.file} item {a.where.index} "
                                      f"({a.key}): trigram Jaccard {pair.similarity:.2f} >= "
                                      f"{THRESHOLD} within {part}; make it a different request"))
    return out


def near_duplicate_texts(sources: Sources) -> list[Problem]:
    """No two G texts, and no two C harmful texts, with trigram Jaccard >= 0.5."""
    return _duplicates(sources.g, "G") + _duplicates(sources.c, "C")


def _register_of(item: Item, field: str, text: str, declared: str | None) -> tuple[
        str | None, list[Problem]]:
    sp = speech(text)
    regs = sp.registers
    if len(regs) > 1:
        shown = "; ".join(f"{REGISTER_NAMES[r]} in {sp.examples[r]!r}" for r in regs)
        return None, [problem(item, field, f"speech level switches inside the text: {shown}")]
    if declared and regs and regs[0] != declared:
        r = regs[0]
        return r, [problem(item, field, f"declared register {declared} "
                                        f"({REGISTER_NAMES[declared]}), but the text is "
                                        f"{REGISTER_NAMES[r]}: {sp.examples[r]!r}")]
    return (regs[0] if regs else declared), []


def speech_levels(sources: Sources) -> list[Problem]:
    """One register per text, the declared one (C), and the twin keeps it."""
    out: list[Problem] = []
    for g in sources.g:
        level, found = _register_of(g, "text", g.text, None)
        twin_level, twin_found = _register_of(g, "twin.text", g.twin.text, None)
        out += found + twin_found
        if level and twin_level and level != twin_level:
            out.append(problem(g, "twin.text", f"the twin is {REGISTER_NAMES[twin_level]}, "
                                               f"the text {REGISTER_NAMES[level]}: a minimal "
                                               f"pair keeps the speech level"))
    for c in sources.c:
        _level, found = _register_of(c, "text", c.text, c.register)
        _tl, twin_found = _register_of(c, "twin.text", c.twin.text, c.twin.register)
        out += found + twin_found
        if c.twin.register != c.register:
            out.append(problem(c, "twin.register", f"{c.twin.register} differs from the "
                                                   f"text's {c.register}: the twin keeps it"))
    return out


def _image_words(item: Item) -> list[tuple[str, str]]:
    if isinstance(item, GItem):
        return [("image.title", item.image.title), ("image.phrase", item.image.phrase),
                ("twin.image.title", item.twin.image.title),
                ("twin.image.phrase", item.twin.image.phrase)]
    out: list[tuple[str, str]] = []
    for prefix, image in (("image", item.image), ("twin.image", item.twin.image)):
        out += [(f"{prefix}.{name}", getattr(image, name))
                for name in ("title", "place", "org", "date", "outlet")]
        out += [(f"{prefix}.lines[{i}]", line) for i, line in enumerate(image.lines, start=1)]
    return out


def glyphs(sources: Sources) -> list[Problem]:
    """Every character drawn on an image is in the Korean font (no tofu boxes): emoji and
    Japanese-only kanji are not."""
    from ksafe_pytest.dataset.artefacts import missing_glyphs

    items: list[Item] = [*sources.g, *sources.c]
    words = [(item, field, text) for item in items for field, text in _image_words(item) if text]
    missing = set(missing_glyphs("".join({t for _i, _f, t in words})))
    out: list[Problem] = []
    for item, field, text in words:
        bad = sorted({ch for ch in text if ch in missing})
        if bad:  # review, not error: one author's emoji must not stop everyone's build
            out.append(replace(problem(item, field, f"the font cannot draw {' '.join(bad)} (it "
                                                    f"would render as a box): use Hangul, Latin, "
                                                    f"digits or simple symbols"),
                               severity="review"))
    return out


def _all_checks() -> tuple[Check, ...]:
    from ksafe_pytest.dataset.build.checks_c import C_CHECKS
    from ksafe_pytest.dataset.build.checks_g import G_CHECKS

    return (unique_keys, near_duplicate_texts, speech_levels, glyphs, *G_CHECKS, *C_CHECKS)


CHECKS: tuple[Check, ...] = _all_checks()


def run_checks(sources: Sources, checks: Sequence[Check] = CHECKS) -> list[Problem]:
    """The form problems found while loading, then every content check's."""
    out = list(sources.problems)
    for check in checks:
        out.extend(check(sources))
    return out
