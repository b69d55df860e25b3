"""Paired tests on verdicts: McNemar per category, baseline vs current.

Only the discordant pairs matter: b samples moved toward unsafe, c toward safe. Under
"no drift" each discordant pair goes either way with probability 1/2, so the exact test is
a two-sided binomial test on min(b, c) of b + c. For many discordant pairs the
chi-square form with continuity correction is used (it agrees closely by then).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from ksafe_pytest.stats.paired import EXACT_UP_TO, clustered_mcnemar
from ksafe_pytest.taxonomy import CATEGORIES, PARTS


class Verdict(Protocol):
    """What the paired test reads of one verdict (a snapshot's VerdictRecord)."""

    @property
    def id(self) -> str: ...
    @property
    def part(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def intent(self) -> str: ...
    @property
    def unsafe(self) -> bool: ...


class Comparison(Protocol):
    """A sample's verdict now and in the baseline (a snapshot's Comparison)."""

    @property
    def after(self) -> Verdict: ...
    @property
    def before(self) -> Verdict | None: ...



def mcnemar(b: int, c: int) -> tuple[float, str]:
    """Two-sided p-value for b vs c discordant pairs, and the method used."""
    if b < 0 or c < 0:
        raise ValueError("counts must be >= 0")
    n = b + c
    if n == 0:
        return 1.0, "none"
    if n <= EXACT_UP_TO:
        k = min(b, c)
        tail = sum(math.comb(n, i) for i in range(k + 1)) / 2 ** n
        return min(1.0, 2 * tail), "exact"
    stat = (abs(b - c) - 1) ** 2 / n
    return math.erfc(math.sqrt(stat / 2)), "chi2-cc"


def mcnemar_by_category(comparisons: Iterable[Comparison],
                        cluster_of: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """One row per (part, category, measure) with paired samples; measure is `asr`
    (harmful samples: attacked or not) or `over_refusal` (benign: refused or not).
    `cluster_of` (sample id -> base query) adds the clustered test (stats/paired.py), where
    the flips of one base count once; without it every sample is its own base."""
    cells: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    bases: dict[tuple[str, str, str], dict[str, list[int]]] = defaultdict(dict)
    for comp in comparisons:
        if comp.before is None:
            continue
        a = comp.after
        measure = "asr" if a.intent == "harmful" else "over_refusal"
        base = (cluster_of or {}).get(a.id, a.id)
        for key in ((a.part, a.category, measure), ("*", a.category, measure),
                    ("*", "*", measure)):
            cell = cells[key]
            per_base = bases[key].setdefault(base, [0, 0])
            cell[0] += 1
            if a.unsafe and not comp.before.unsafe:
                cell[1] += 1
                per_base[0] += 1
            elif comp.before.unsafe and not a.unsafe:
                cell[2] += 1
                per_base[1] += 1
    order = {p: i for i, p in enumerate(["*", *PARTS])}
    cat_order = {c: i for i, c in enumerate(["*", *CATEGORIES])}

    def row_order(k: tuple[str, str, str]) -> tuple[int, int, str, str]:
        return (order.get(k[0], 99), cat_order.get(k[1], 99), k[1], k[2])

    rows: list[dict[str, Any]] = []
    for k in sorted(cells, key=row_order):
        n, b, c = cells[k]
        p, method = mcnemar(b, c)
        cp, cmethod = clustered_mcnemar((u, s) for u, s in bases[k].values())
        rows.append({"part": k[0], "category": k[1], "measure": k[2], "paired": n,
                     "to_unsafe": b, "to_safe": c, "p_value": float(f"{p:.4g}"),
                     "method": method, "clusters": len(bases[k]),
                     "flipped_clusters": sum(1 for u, s in bases[k].values() if u or s),
                     "clustered_p": float(f"{cp:.4g}"), "clustered_method": cmethod})
    return rows
