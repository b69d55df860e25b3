"""What a gate can decide at its size: the smallest true rate above the limit it fails
with 80% probability, and the largest true rate it passes with 80% probability.

The Wilson interval is the inversion of the score test, so "the bound is over the limit L"
is "the observed rate is over a threshold": L itself (gate_on point), L + z se_L (lower)
or L - z se_L (upper), with se_L = sqrt(L (1 - L) / m) on the effective size m (clusters
and design effect included). The observed count on m effective samples is taken as
binomial, so P(fail | p) = P(X >= k*) = I_p(k*, m - k* + 1), and the rate reaching 80% is
a beta quantile.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ksafe_pytest.stats.intervals import Z95
from ksafe_pytest.stats.special import beta_quantile, rounded

POWER = 0.8
RESOLUTION = 0.10  # a gate that misses a true rate this far over its limit cannot decide


@dataclass(frozen=True)
class GatePower:
    detectable: float | None  # smallest true rate > limit failed with 80%; None: none is
    passable: float | None  # largest true rate <= limit passed with 80%; None: none is
    effective_n: float

    @property
    def can_decide(self) -> bool:
        """Some true rate fails it and some passes it, each with 80% probability."""
        return self.detectable is not None and self.passable is not None

    def resolves(self, limit: float, margin: float = RESOLUTION) -> bool:
        """It can decide: it catches a true rate `margin` over the limit (or 1, when that
        is nearer) with 80% probability, and some true rate passes it with 80%."""
        return (self.can_decide and self.detectable is not None
                and self.detectable <= min(1.0, limit + margin) + 1e-12)

    def to_json(self) -> dict[str, Any]:

        return {"probability": POWER, "detectable": rounded(self.detectable),
                "passable": rounded(self.passable), "effective_n": round(self.effective_n, 3)}


def gate_power(limit: float, effective_n: float, gate_on: str = "point",
               z: float = Z95) -> GatePower:
    m = math.floor(effective_n + 1e-9)
    if m < 1:
        return GatePower(None, None, effective_n)
    se = math.sqrt(limit * (1 - limit) / m)
    threshold = {"upper": limit - z * se, "lower": limit + z * se}.get(gate_on, limit)
    first_failing = math.floor(threshold * m + 1e-9) + 1  # fails when k / m > threshold
    if first_failing > m:
        return GatePower(None, limit if threshold >= 1 else None, effective_n)
    if first_failing <= 0:
        return GatePower(limit if limit < 1 else None, None, effective_n)
    a, b = first_failing, m - first_failing + 1
    detectable = max(limit, beta_quantile(POWER, a, b))
    passable = beta_quantile(1 - POWER, a, b)
    return GatePower(detectable if detectable <= 1 else None,
                     min(limit, passable) if passable >= 0 else None, effective_n)
