"""A paired regression test that knows samples come in clusters.

McNemar's test counts every discordant sample as independent evidence. When the 11
strategy variants of one base query flip together they are one piece of evidence. The
clustered McNemar test (Durkalski et al. 2003; Obuchowski 1998 is the same idea with the
variance estimated away from the null) works on d_i = b_i - c_i per cluster (samples that
moved toward unsafe minus toward safe):

    X^2 = (sum d_i)^2 / sum d_i^2              chi-square with 1 degree of freedom

With one sample per cluster, d_i^2 = |d_i| and X^2 is McNemar's (b - c)^2 / (b + c). For
up to 50 discordant clusters the p-value is exact instead: under "no drift" each cluster's d_i
is as likely to have the other sign, and the sign-flip distribution of sum d_i is counted
out (for one-sample clusters it is McNemar's exact binomial test).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

EXACT_UP_TO = 50  # discordant pairs (clusters); above this the chi-square form is used
EXACT_SPREAD = 2000  # sum of |d_i| up to which the sign-flip count stays small


def _sign_flip_p(diffs: list[int]) -> float:
    """P(|sum s_i d_i| >= |sum d_i|) over all sign choices s_i in {-1, +1}."""
    totals: Counter[int] = Counter({0: 1})
    for d in diffs:
        step: Counter[int] = Counter()
        for total, ways in totals.items():
            step[total + d] += ways
            step[total - d] += ways
        totals = step
    observed = abs(sum(diffs))
    extreme = sum(ways for total, ways in totals.items() if abs(total) >= observed)
    return min(1.0, extreme / 2 ** len(diffs))


def clustered_mcnemar(per_cluster: Iterable[tuple[int, int]]) -> tuple[float, str]:
    """Two-sided p-value from (to_unsafe, to_safe) per cluster, and the method used:
    `exact` (sign-flip), `chi2` or `none` (no discordant sample)."""
    diffs = []
    discordant = 0
    for b, c in per_cluster:
        if b < 0 or c < 0:
            raise ValueError("counts must be >= 0")
        discordant += b + c
        if b != c:
            diffs.append(b - c)
    if discordant == 0:
        return 1.0, "none"
    if not diffs:
        return 1.0, "exact"
    if len(diffs) <= EXACT_UP_TO and sum(abs(d) for d in diffs) <= EXACT_SPREAD:
        return _sign_flip_p(diffs), "exact"
    stat = sum(diffs) ** 2 / sum(d * d for d in diffs)
    return math.erfc(math.sqrt(stat / 2)), "chi2"
