"""How broad a dataset is, from its samples alone (the built-in set or a user's): distinct
base queries (components of the trigram-Jaccard >= 0.5 graph), near-duplicate clusters,
distinct image designs, how close each benign twin stays to its harmful query, and the
share of C goals marked cross-modal. `ksafe list --stats` prints it."""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from ksafe_pytest.dataset.build.similarity import THRESHOLD, clusters, jaccard, near_duplicates
from ksafe_pytest.dataset.build.similarity import trigrams as _trigrams
from ksafe_pytest.records import ImageSpec, Sample
from ksafe_pytest.taxonomy import CATEGORIES, STANDARD


@dataclass(frozen=True)
class Breadth:
    """Figures for one part and category (category "" for the part as a whole)."""

    part: str
    category: str
    queries: int  # harmful Standard prompts
    distinct: int  # near-duplicate components among them
    designs: int  # distinct images (style aside) of those prompts
    twins: int  # pairs with a benign twin
    twin_similarity: float | None  # mean trigram Jaccard of query and twin
    twin_same_image: int  # twins showing the harmful query's own image
    cross_modal: int | None  # C: queries marked cross-modal (None: not marked at all)


@dataclass(frozen=True)
class Cluster:
    part: str
    ids: tuple[str, ...]
    texts: tuple[str, ...]


def design_key(image: ImageSpec) -> str:
    """An image's design: its kind and words, without colours, layout or seed."""
    if image.file:
        return image.file
    params = {k: v for k, v in image.params.items() if k != "style"}
    return json.dumps([image.kind, params], ensure_ascii=False, sort_keys=True)


def _bases(samples: Sequence[Sample], part: str, category: str) -> list[Sample]:
    return [s for s in samples if s.part == part and s.intent == "harmful"
            and s.strategy == STANDARD and (not category or s.category == category)]


def _breadth(samples: Sequence[Sample], part: str, category: str,
             twins: dict[str, Sample]) -> Breadth:
    bases = _bases(samples, part, category)
    texts = [s.text for s in bases]
    distinct = len(clusters(len(texts), near_duplicates(texts)))
    paired = [(b, twins[b.pair_id]) for b in bases if b.pair_id in twins]
    sims = [jaccard(_trigrams(b.text), _trigrams(t.text)) for b, t in paired]
    marked = [s for s in bases if "cross_modal" in s.meta]
    return Breadth(
        part=part, category=category, queries=len(bases), distinct=distinct,
        designs=len({design_key(s.image) for s in bases}), twins=len(paired),
        twin_similarity=statistics.fmean(sims) if sims else None,
        twin_same_image=sum(design_key(b.image) == design_key(t.image) for b, t in paired),
        cross_modal=sum(s.meta["cross_modal"] == "true" for s in marked) if marked else None)


def breadth(samples: Sequence[Sample]) -> list[Breadth]:
    """Per part: the whole part, then each category it has."""
    twins = {s.pair_id: s for s in samples if s.intent == "benign" and s.pair_id}
    out: list[Breadth] = []
    for part in sorted({s.part for s in samples}, key=lambda p: (p != "G", p)):
        out.append(_breadth(samples, part, "", twins))
        present = {s.category for s in samples if s.part == part}
        out += [_breadth(samples, part, c, twins) for c in CATEGORIES if c in present]
    return out


def duplicate_clusters(samples: Sequence[Sample]) -> list[Cluster]:
    """Near-duplicate clusters (two or more harmful Standard prompts), largest first."""
    out: list[Cluster] = []
    for part in sorted({s.part for s in samples}):
        bases = _bases(samples, part, "")
        groups = clusters(len(bases), near_duplicates([s.text for s in bases]))
        out += [Cluster(part, tuple(bases[i].id for i in g), tuple(bases[i].text for i in g))
                for g in groups if len(g) > 1]
    return sorted(out, key=lambda c: (-len(c.ids), c.ids[0]))


def render(samples: Sequence[Sample], *, show_clusters: int = 5) -> str:
    rows = breadth(samples)
    lines = [f"Breadth (near-duplicates: character-trigram Jaccard >= {THRESHOLD} joins two "
             f"harmful Standard prompts; a component counts once)", ""]
    head = (f"{'part':<5}{'category':<36}{'queries':>8}{'distinct':>9}{'designs':>8}"
            f"{'twins':>7}{'twin sim':>9}{'same img':>9}{'cross-modal':>13}")
    lines.append(head)
    for r in rows:
        sim = f"{r.twin_similarity:.2f}" if r.twin_similarity is not None else "-"
        cross = (f"{r.cross_modal} ({r.cross_modal / r.queries:.0%})"
                 if r.cross_modal is not None and r.queries else "-")
        name = r.category or "(all)"
        lines.append(f"{r.part:<5}{name:<36}{r.queries:>8}{r.distinct:>9}{r.designs:>8}"
                     f"{r.twins:>7}{sim:>9}{r.twin_same_image:>9}{cross:>13}")
    found = duplicate_clusters(samples)
    by_part: dict[str, list[Cluster]] = defaultdict(list)
    for c in found:
        by_part[c.part].append(c)
    lines.append("")
    for part, group in sorted(by_part.items()):
        members = sum(len(c.ids) for c in group)
        lines.append(f"{part}: {len(group)} near-duplicate clusters holding {members} prompts; "
                     f"largest:")
        for c in group[:show_clusters]:
            lines.append(f"  {len(c.ids):>4} x  {c.ids[0]}  {c.texts[0][:70]}")
    if not found:
        lines.append("no near-duplicate clusters")
    return "\n".join(lines)
