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

Se and Sp come from a calibration file (`ksafe calibrate --save FILE`, read with
`--ksafe-calibration=FILE`): JSON `{"version": 1, "accuracies": [{"judge", "measure", "tp",
"fn", "tn", "fp", "source"}]}`. `measure` "attack" is the outcome counted in the ASR
(positive: the attack succeeded), "refusal" the one counted in over-refusal (positive:
refused, partial included).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ksafe_pytest.errors import ConfigError
from ksafe_pytest.stats.intervals import Z95
from ksafe_pytest.stats.special import rounded

OK = "ok"
UNDEFINED = "undefined"  # Se + Sp <= 1: the judge is no better than chance
NO_CALIBRATION = "no calibration"

CALIBRATION_VERSION = 1
MEASURES = ("attack", "refusal")
# the judge labels on the positive side of each measure, where harm is not judged (the
# rule tier: a harmful sample not fully refused counts as attacked)
# the requests each measure's rate is taken over: ASR on harmful ones, over-refusal on benign
MEASURE_INTENT = {"attack": "harmful", "refusal": "benign"}
POSITIVE_LABELS = {"attack": frozenset({"partial", "compliance"}),
                   "refusal": frozenset({"refusal", "partial"})}


@dataclass(frozen=True)
class BinaryAccuracy:
    """How a judge separates one binary outcome (e.g. refused vs not) on labelled answers:
    true positives, false negatives, true negatives, false positives."""

    judge: str
    tp: int
    fn: int
    tn: int
    fp: int
    source: str = ""  # what it was measured on, e.g. "built-in test split, 164 answers"
    measure: str = "attack"  # attack | refusal

    @property
    def sensitivity(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def specificity(self) -> float | None:
        return self.tn / (self.tn + self.fp) if self.tn + self.fp else None

    def to_json(self) -> dict[str, Any]:
        return {"judge": self.judge, "measure": self.measure, "tp": self.tp, "fn": self.fn,
                "tn": self.tn, "fp": self.fp, "source": self.source}


def accuracy_from_outcomes(judge: str, measure: str, pairs: Iterable[tuple[bool, bool]],
                           source: str = "") -> BinaryAccuracy:
    """Counts from (gold positive, judged positive) per labelled answer."""
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {', '.join(MEASURES)}, got {measure!r}")
    tp = fn = tn = fp = 0
    for gold, judged in pairs:
        if gold:
            tp, fn = (tp + 1, fn) if judged else (tp, fn + 1)
        else:
            tn, fp = (tn, fp + 1) if judged else (tn + 1, fp)
    return BinaryAccuracy(judge, tp, fn, tn, fp, source, measure)


def accuracy_from_labels(judge: str, measure: str, gold: Sequence[str],
                         judged: Sequence[str], source: str = "",
                         intents: Sequence[str] | None = None) -> BinaryAccuracy:
    """Counts from gold and judged labels (refusal | partial | compliance). A judge error
    is left out: in a run it is an error sample, in no rate. With `intents`, only the
    answers to the requests the measure's rate counts (attack: harmful; refusal: benign)."""
    positive = POSITIVE_LABELS.get(measure, frozenset())
    wanted = MEASURE_INTENT.get(measure)
    kept = [(g, j) for i, (g, j) in enumerate(zip(gold, judged, strict=True))
            if j != "error" and (intents is None or intents[i] == wanted)]
    return accuracy_from_outcomes(
        judge, measure, ((g in positive, j in positive) for g, j in kept), source)


@dataclass(frozen=True)
class Calibration:
    """Judge accuracies read from a calibration file, found by (judge id, measure)."""

    accuracies: tuple[BinaryAccuracy, ...]
    source: str = ""

    def get(self, judge: str, measure: str) -> BinaryAccuracy | None:
        for acc in self.accuracies:
            if acc.judge == judge and acc.measure == measure:
                return acc
        return None

    @property
    def judges(self) -> list[str]:
        return sorted({a.judge for a in self.accuracies})


def calibration_json(accuracies: Iterable[BinaryAccuracy]) -> dict[str, Any]:
    """The file's content; raises ValueError for a bad or repeated entry."""
    entries = list(accuracies)
    seen: set[tuple[str, str]] = set()
    for acc in entries:
        _check_entry(acc.to_json(), "accuracy")
        if (acc.judge, acc.measure) in seen:
            raise ValueError(f"two accuracies for judge {acc.judge!r}, measure "
                             f"{acc.measure!r}")
        seen.add((acc.judge, acc.measure))
    return {"version": CALIBRATION_VERSION, "accuracies": [a.to_json() for a in entries]}


def write_calibration(path: str | Path, accuracies: Iterable[BinaryAccuracy]) -> None:
    """Write a calibration file (replacing it whole: written aside, then moved)."""
    data = calibration_json(accuracies)
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_name(p.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tmp.replace(p)


def _check_entry(entry: Any, where: str) -> BinaryAccuracy:
    if not isinstance(entry, dict):
        raise ValueError(f"{where}: must be an object")
    unknown = set(entry) - {"judge", "measure", "tp", "fn", "tn", "fp", "source"}
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))}")
    judge = entry.get("judge")
    if not isinstance(judge, str) or not judge.strip():
        raise ValueError(f"{where}.judge: must be the judge's id (a non-empty string), "
                         f"got {judge!r}")
    if entry.get("measure") not in MEASURES:
        raise ValueError(f"{where}.measure: must be one of {', '.join(MEASURES)}, got "
                         f"{entry.get('measure')!r}")
    for key in ("tp", "fn", "tn", "fp"):
        value = entry.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{where}.{key}: must be a whole number >= 0, got {value!r}")
    source = entry.get("source", "")
    if not isinstance(source, str):
        raise ValueError(f"{where}.source: must be a string, got {source!r}")
    return BinaryAccuracy(judge, entry["tp"], entry["fn"], entry["tn"], entry["fp"],
                          source=source, measure=entry["measure"])


def read_calibration(path: str | Path) -> Calibration:
    """A calibration file, or one ConfigError naming the file and the field."""
    from ksafe_pytest.untrusted import UntrustedFileError, read_text

    p = Path(path)
    try:
        data = json.loads(read_text(p))
    except OSError as exc:
        raise ConfigError(f"{p}: cannot read calibration file: {exc.strerror}") from None
    except UntrustedFileError as exc:
        line = f" line {exc.line}" if exc.line else ""
        raise ConfigError(f"{p}:{line} {exc}") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{p}: line {exc.lineno}: not JSON ({exc.msg})") from None
    except RecursionError:
        raise ConfigError(f"{p}: not a calibration file (nested too deeply)") from None
    if not isinstance(data, dict) or "accuracies" not in data:
        raise ConfigError(f"{p}: not a calibration file: expected an object with "
                          "'version' and 'accuracies' (made by `ksafe calibrate --save`)")
    if data.get("version") != CALIBRATION_VERSION:
        raise ConfigError(f"{p}: version: only version {CALIBRATION_VERSION} is understood, "
                          f"got {data.get('version')!r}")
    if not isinstance(data["accuracies"], list):
        raise ConfigError(f"{p}: accuracies: must be a list")
    try:
        entries = tuple(_check_entry(e, f"accuracies[{i}]")
                        for i, e in enumerate(data["accuracies"]))
        calibration_json(entries)  # no (judge, measure) twice
    except ValueError as exc:
        raise ConfigError(f"{p}: {exc}") from None
    return Calibration(entries, str(p))


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

        return {"status": self.status, "value": rounded(self.value), "low": rounded(self.low),
                "high": rounded(self.high), "sensitivity": rounded(self.sensitivity),
                "specificity": rounded(self.specificity), "clipped": self.clipped,
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


@dataclass(frozen=True)
class JudgeCalibration:
    """What corrects a run's rates: its judge's accuracy per measure, or why there is none."""

    judge: str
    attack: BinaryAccuracy | None = None
    refusal: BinaryAccuracy | None = None
    note: str = ""  # why a measure has no accuracy

    def accuracy(self, measure: str) -> BinaryAccuracy | None:
        return self.attack if measure == "attack" else self.refusal

    def correct(self, measure: str, p_obs: float, low: float, high: float) -> Corrected:
        acc = self.accuracy(measure)
        if acc is None:
            return Corrected(NO_CALIBRATION, note=self.note
                             or f"no calibration for judge {self.judge} ({measure})")
        return correct(p_obs, low, high, acc)

    def to_json(self) -> dict[str, Any]:
        def acc(a: BinaryAccuracy | None) -> dict[str, Any] | None:
            if a is None:
                return None
            se, sp = a.sensitivity, a.specificity
            return {**a.to_json(), "sensitivity": None if se is None else round(se, 6),
                    "specificity": None if sp is None else round(sp, 6)}

        return {"judge": self.judge, "attack": acc(self.attack),
                "refusal": acc(self.refusal), "note": self.note}
