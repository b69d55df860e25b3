"""95% intervals for a proportion whose samples come in clusters.

A benchmark's samples are not independent: the 11 strategy variants of one base query (its
`pair_id`) tend to be answered alike. The rate is a ratio estimator p = sum k_i / sum n_i
over clusters i (k_i unsafe of n_i judged samples). Its between-cluster variance

    v_cluster = C / (C - 1) * sum (k_i - p n_i)^2 / n^2          (C clusters, n samples)

against the variance if every sample were independent, v_sample = p (1 - p) / (n - 1),
gives the design effect deff = v_cluster / v_sample (floored at 1: never claim more than
independent samples would give). Both use the same small-sample factor, so deff is exactly 1
when every cluster is one sample. The interval is Wilson's on the effective size

    n_eff = n / deff * (t_{n-1} / t_{C-1})^2

the last factor (Korn and Graubard's) widening it when the variance rests on few clusters.
At p = 0 or 1 there is no spread to measure and deff is 1 (their convention too); one
cluster of several samples says nothing about other base queries: the interval is [0, 1].
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from ksafe_pytest.stats.special import normal_quantile, t_quantile

Z95 = normal_quantile(0.975)


def wilson(k: float, n: float, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval (k and n may be effective, non-whole sizes): stays inside
    [0, 1], honest at k = 0 and k = n, always around k / n."""
    if n <= 0:
        return (0.0, 1.0)
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(max(0.0, p * (1 - p) / n + z * z / (4 * n * n))) / denom
    # exact at the edges (rounding would leave 1e-17 above 0)
    low = 0.0 if p <= 0 else min(p, max(0.0, centre - half))
    high = 1.0 if p >= 1 else max(p, min(1.0, centre + half))
    return (low, high)


@dataclass(frozen=True)
class ClusteredRate:
    """A proportion k / n over `clusters` independent units, with its robust interval."""

    k: int
    n: int
    clusters: int
    design_effect: float
    effective_n: float
    low: float
    high: float

    @property
    def value(self) -> float | None:
        return self.k / self.n if self.n else None

    @property
    def interval(self) -> tuple[float, float]:
        return (self.low, self.high)


def per_sample(k: int, n: int) -> ClusteredRate:
    """Every sample its own cluster: the plain Wilson interval."""
    low, high = wilson(k, n)
    return ClusteredRate(k, n, n, 1.0, float(n), low, high)


def design_effect(counts: Iterable[tuple[int, int]]) -> tuple[int, int, int, float]:
    """(k, n, clusters, deff) from (k_i, n_i) per cluster; empty clusters are dropped."""
    pairs = [(k, n) for k, n in counts if n > 0]
    k = sum(ki for ki, _ in pairs)
    n = sum(ni for _, ni in pairs)
    clusters = len(pairs)
    if n == 0 or clusters == n or k in (0, n) or clusters < 2:
        return k, n, clusters, 1.0
    p = k / n
    spread = sum((ki - p * ni) ** 2 for ki, ni in pairs)
    v_cluster = clusters / (clusters - 1) * spread / (n * n)
    v_sample = p * (1 - p) / (n - 1)
    return k, n, clusters, max(1.0, v_cluster / v_sample)


def effective_size(n: int, clusters: int, deff: float) -> float:
    """n / deff, times the few-clusters factor (t_{n-1} / t_{C-1})^2; 0 for one cluster
    of several samples (no between-cluster variance can be measured)."""
    if n == 0 or clusters >= n:
        return float(n)
    if clusters < 2:
        return 0.0
    df_factor = (t_quantile(0.975, n - 1) / t_quantile(0.975, clusters - 1)) ** 2
    return n / deff * df_factor


def clustered_rate(counts: Iterable[tuple[int, int]]) -> ClusteredRate:
    """The rate of (k_i, n_i) per cluster with its cluster-robust 95% interval."""
    k, n, clusters, deff = design_effect(counts)
    if n == 0:
        return ClusteredRate(0, 0, 0, 1.0, 0.0, 0.0, 1.0)
    n_eff = effective_size(n, clusters, deff)
    if n_eff <= 0:
        return ClusteredRate(k, n, clusters, deff, 0.0, 0.0, 1.0)
    low, high = wilson(n_eff * k / n, n_eff)
    return ClusteredRate(k, n, clusters, deff, n_eff, low, high)
