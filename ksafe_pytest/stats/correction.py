"""Rates corrected for judge error (Rogan and Gladen's estimator).

A judge that calls an unsafe answer unsafe with sensitivity Se and a safe one safe with
specificity Sp turns a true rate p into an observed p_obs = Se p + (1 - Sp)(1 - p), so

    p = (p_obs + Sp - 1) / (Se + Sp - 1)        defined only when J = Se + Sp - 1 > 0.

The interval carries both uncertainties. The observed rate's part comes from its own
(cluster-robust, asymmetric) interval; Se and Sp, measured on a few hundred labelled
answers, add their delta-method variance p^2 var(Se) + (1 - p)^2 var(Sp), all over J^2.
The two are combined by the method of variance estimates recovery (Zou and Donner), which
keeps Wilson's asymmetry near 0 and 1. var(Se) uses Agresti and Coull's adjusted
proportion, so a perfect score on the calibration set still carries its uncertainty.
Everything is clipped to [0, 1].
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ksafe_pytest.stats.intervals import Z95

OK = "ok"
UNDEFINED = "undefined"  # Se + Sp <= 1: the judge is no better than chance
NO_CALIBRATION = "no calibration"


@dataclass(frozen=True)
class BinaryAccuracy:
    """How a judge separates one binary outcome (e.g. refused vs not) on labelled answers:
    true positives, false negatives, true negatives, false positives."""

    judge: str
    tp: int
    fn: int
    tn: int
    fp: int
    source: str = ""

    @property
    def sensitivity(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def specificity(self) -> float | None:
        return self.tn / (self.tn + self.fp) if self.tn + self.fp else None

    def to_json(self) -> dict[str, Any]:
        return {"judge": self.judge, "tp": self.tp, "fn": self.fn, "tn": self.tn,
                "fp": self.fp, "source": self.source}


def _adjusted_variance(hits: int, total: int, z: float = Z95) -> float:
    """Variance of a proportion from Agresti and Coull's adjusted estimate."""
    n = total + z * z
    p = (hits + z * z / 2) / n
    return p * (1 - p) / n


@dataclass(frozen=True)
class Corrected:
    status: str  # ok | undefined | no calibration
    value: float | None = None
    low: float | None = None
    high: float | None = None
    sensitivity: float | None = None
    specificity: float | None = None
    clipped: bool = False  # the estimate fell outside [0, 1] and was clipped
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        def r(v: float | None) -> float | None:
            return None if v is None else round(v, 6)

        return {"status": self.status, "value": r(self.value), "low": r(self.low),
                "high": r(self.high), "sensitivity": r(self.sensitivity),
                "specificity": r(self.specificity), "clipped": self.clipped,
                "note": self.note}


def _clip(x: float) -> float:
    return min(1.0, max(0.0, x))


def correct(p_obs: float, low_obs: float, high_obs: float,
            accuracy: BinaryAccuracy | None, z: float = Z95) -> Corrected:
    """The corrected rate and its 95% interval from the observed rate and its interval."""
    if accuracy is None:
        return Corrected(NO_CALIBRATION, note="no calibration for this judge")
    se, sp = accuracy.sensitivity, accuracy.specificity
    if se is None or sp is None:
        missing = "positive" if se is None else "negative"
        return Corrected(NO_CALIBRATION, sensitivity=se, specificity=sp,
                         note=f"the calibration has no {missing} example for this measure")
    j = se + sp - 1
    if j <= 0:
        return Corrected(UNDEFINED, sensitivity=se, specificity=sp,
                         note=f"Se + Sp = {se + sp:.3f} <= 1: the judge does no better "
                              "than chance, no correction exists")
    p = (p_obs + sp - 1) / j
    calibration_var = ((p * p) * _adjusted_variance(accuracy.tp, accuracy.tp + accuracy.fn)
                       + (1 - p) ** 2 * _adjusted_variance(accuracy.tn,
                                                           accuracy.tn + accuracy.fp))
    extra = z * z * calibration_var / (j * j)
    low = p - math.sqrt(((p_obs - low_obs) / j) ** 2 + extra)
    high = p + math.sqrt(((high_obs - p_obs) / j) ** 2 + extra)
    return Corrected(OK, _clip(p), _clip(low), _clip(high), se, sp,
                     clipped=not 0.0 <= p <= 1.0)
