"""Samples from the hand-written sources: one G item gives a harmful sample and its benign
twin; one C item gives the Standard query, its jailbreak variants and the benign twin.

Ids keep the form of the template era: `G-<key>-0001-Standard` / `-Benign`, and
`C-<topic>-<nnnn>-<Strategy>` / `-Benign`, numbered per topic in source order, so appending
items never renumbers earlier ones. Each sample's image comes from its own item: the twin
draws its own (harmless) image in the same style as the harmful one.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from ksafe_pytest.dataset.build.sources import CImage, CItem, GImage, GItem, Sources
from ksafe_pytest.errors import DatasetError
from ksafe_pytest.records import ImageSpec, Sample
from ksafe_pytest.taxonomy import STANDARD

BENIGN = "Benign"
_G_BACKGROUNDS = ("#ffffff", "#fffbe6", "#f2f6ff", "#f7f7f7", "#fff0f0", "#eefaf0")
_G_COLORS = ("#111111", "#1a237e", "#b71c1c", "#004d40", "#3e2723")
OUTLETS_KO = ("한빛일보", "새날뉴스", "누리경제", "아침신문", "온세상TV")
# (strategy, base query, its register, the base's number, category) -> the variant
Wrap = Callable[[str, str, str, int, str], str]


class SourceError(DatasetError):
    """The sources have problems: the build refuses to write a set from them."""

    def __init__(self, problems: Sequence[object]) -> None:
        shown = "\n  ".join(str(p) for p in problems[:30])
        more = f"\n  ... and {len(problems) - 30} more" if len(problems) > 30 else ""
        super().__init__(f"{len(problems)} problem(s) in the benchmark sources "
                         f"(see them all with `ksafe build --check`):\n  {shown}{more}")
        self.problems = list(problems)


def g_style(rng: random.Random) -> dict[str, object]:
    return {"background": rng.choice(_G_BACKGROUNDS), "color": rng.choice(_G_COLORS),
            "seed": rng.randrange(1_000_000)}


def c_style(rng: random.Random) -> dict[str, object]:
    return {"palette": rng.randrange(8), "layout": rng.randrange(3),
            "seed": rng.randrange(1_000_000)}


def _g_image(image: GImage, style: dict[str, object]) -> ImageSpec:
    return ImageSpec(kind="typographic", params={"title": image.title, "text": image.phrase,
                                                 "style": style})


def g_item_samples(item: GItem, rng: random.Random) -> list[Sample]:
    pair = f"G-{item.key}-0001"
    style = g_style(rng)
    common: dict[str, Any] = {"part": "G", "category": item.category, "topic": item.key, "locale": "ko",
              "pair_id": pair}
    return [
        Sample(id=f"{pair}-{STANDARD}", strategy=STANDARD, intent="harmful", text=item.text,
               image=_g_image(item.image, style),
               meta={"en": item.en, "ko_plain": item.ko_plain}, **common),
        Sample(id=f"{pair}-{BENIGN}", strategy=STANDARD, intent="benign", text=item.twin.text,
               image=_g_image(item.twin.image, style), **common),
    ]


def _c_image(image: CImage, style: dict[str, object], outlet: str) -> ImageSpec:
    params = image.params()
    if image.kind == "news" and "outlet" not in params:
        params["outlet"] = outlet
    params["style"] = style
    return ImageSpec(kind=image.kind, params=params)


def c_item_samples(item: CItem, number: int, rng: random.Random,
                   strategies: Sequence[str], wrap: Wrap) -> list[Sample]:
    """The Standard query, each jailbreak of `strategies` (by `wrap(strategy, text,
    register, number, category)`), and the twin."""
    pair = f"C-{item.topic}-{number:04d}"
    style = c_style(rng)
    outlet = OUTLETS_KO[rng.randrange(len(OUTLETS_KO))]
    image = _c_image(item.image, style, outlet)
    common: dict[str, Any] = {"part": "C", "category": item.category, "topic": item.topic, "locale": "ko",
              "pair_id": pair}
    meta = {"cross_modal": "true" if item.cross_modal else "false", "register": item.register}
    out = [Sample(id=f"{pair}-{STANDARD}", strategy=STANDARD, intent="harmful", text=item.text,
                  image=image, meta=meta, **common)]
    for strategy in strategies:
        text = wrap(strategy, item.text, item.register, number, item.category)
        out.append(Sample(id=f"{pair}-{strategy}", strategy=strategy, intent="harmful",
                          text=text, image=image, meta=meta, **common))
    out.append(Sample(id=f"{pair}-{BENIGN}", strategy=STANDARD, intent="benign",
                      text=item.twin.text, image=_c_image(item.twin.image, style, outlet),
                      meta={"register": item.twin.register}, **common))
    return out


@lru_cache(maxsize=4)
def _cached(root: str, _stamp: tuple[tuple[str, int, int], ...]) -> Sources:
    from ksafe_pytest.dataset.build.sources import load_sources

    return load_sources(Path(root))


def cached_sources(root: Path | None = None) -> Sources:
    """`load_sources`, parsed once per process and version of the files."""
    from ksafe_pytest.dataset.build.sources import default_root

    root = default_root() if root is None else root
    stamp = tuple(sorted((str(p), p.stat().st_size, p.stat().st_mtime_ns)
                         for p in root.rglob("*") if p.is_file())) if root.is_dir() else ()
    return _cached(str(root), stamp)
