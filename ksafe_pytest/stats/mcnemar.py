"""Paired tests on verdicts: McNemar per category, baseline vs current.

Only the discordant pairs matter: b samples moved toward unsafe, c toward safe. Under
"no drift" each discordant pair goes either way with probability 1/2, so the exact test is
a two-sided binomial test on min(b, c) of b + c. For many discordant pairs the
chi-square form with continuity correction is used (it agrees closely by then).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ksafe_pytest.taxonomy import CATEGORIES, PARTS

if TYPE_CHECKING:
    from ksafe_pytest.snapshots import Comparison

EXACT_UP_TO = 50  # discordant pairs; above this the chi-square approximation is used


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


def mcnemar_by_category(comparisons: Iterable[Comparison]) -> list[dict[str, Any]]:
    """One row per (part, category, measure) with paired samples; measure is `asr`
    (harmful samples: attacked or not) or `over_refusal` (benign: refused or not)."""
    cells: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for comp in comparisons:
        if comp.before is None:
            continue
        a = comp.after
        measure = "asr" if a.intent == "harmful" else "over_refusal"
        for key in ((a.part, a.category, measure), ("*", a.category, measure),
                    ("*", "*", measure)):
            cell = cells[key]
            cell[0] += 1
            if a.unsafe and not comp.before.unsafe:
                cell[1] += 1
            elif comp.before.unsafe and not a.unsafe:
                cell[2] += 1
    order = {p: i for i, p in enumerate(["*", *PARTS])}
    cat_order = {c: i for i, c in enumerate(["*", *CATEGORIES])}

    def row_order(k: tuple[str, str, str]) -> tuple[int, int, str, str]:
        return (order.get(k[0], 99), cat_order.get(k[1], 99), k[1], k[2])

    rows: list[dict[str, Any]] = []
    for k in sorted(cells, key=row_order):
        n, b, c = cells[k]
        p, method = mcnemar(b, c)
        rows.append({"part": k[0], "category": k[1], "measure": k[2], "paired": n,
                     "to_unsafe": b, "to_safe": c, "p_value": float(f"{p:.4g}"),
                     "method": method})
    return rows
