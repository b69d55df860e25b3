"""Character-trigram Jaccard similarity: near-duplicate pairs and their clusters.

Two texts are near-duplicates when the Jaccard index of their character-trigram sets is at
least a threshold (0.5 by the issues' definition). Pairs are found by prefix filtering
(each set's rarest trigrams are indexed; two sets that reach the threshold must share one
of them), so the whole set is compared in well under a second instead of all pairs.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

THRESHOLD = 0.5
_SPACE = re.compile(r"\s+")


def trigrams(text: str) -> frozenset[str]:
    """The character trigrams of `text`, whitespace collapsed to one space."""
    norm = _SPACE.sub(" ", text.strip().lower())
    if len(norm) < 3:
        return frozenset({norm}) if norm else frozenset()
    return frozenset(norm[i:i + 3] for i in range(len(norm) - 2))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


@dataclass(frozen=True)
class Pair:
    first: int  # index into the texts, first < second
    second: int
    similarity: float


def near_duplicates(texts: Sequence[str], threshold: float = THRESHOLD) -> list[Pair]:
    """Every pair of `texts` whose trigram Jaccard is >= `threshold`, sorted."""
    sets = [trigrams(t) for t in texts]
    frequency = Counter(g for s in sets for g in s)
    ordered = [sorted(s, key=lambda g: (frequency[g], g)) for s in sets]
    index: dict[str, list[int]] = {}
    pairs: list[Pair] = []
    for i, grams in enumerate(ordered):
        prefix = len(grams) - math.ceil(threshold * len(grams)) + 1
        candidates: set[int] = set()
        for g in grams[:prefix]:
            candidates.update(index.get(g, ()))
        for j in sorted(candidates):
            sim = jaccard(sets[i], sets[j])
            if sim >= threshold:
                pairs.append(Pair(j, i, sim))
        for g in grams[:prefix]:
            index.setdefault(g, []).append(i)
    return sorted(pairs, key=lambda p: (p.first, p.second))


def clusters(count: int, pairs: Sequence[Pair]) -> list[list[int]]:
    """Connected components of the near-duplicate graph over `count` texts (singletons
    included), each sorted, in order of their first member."""
    parent = list(range(count))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for p in pairs:
        a, b = root(p.first), root(p.second)
        if a != b:
            parent[max(a, b)] = min(a, b)
    groups: dict[int, list[int]] = {}
    for i in range(count):
        groups.setdefault(root(i), []).append(i)
    return sorted(groups.values(), key=lambda g: g[0])
