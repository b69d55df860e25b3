"""A finished run measured: rates per slice, gates, and the judge calibration that
corrects both for judge error. What the session calls once, on the controller."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ksafe_pytest.errors import ConfigError
from ksafe_pytest.gates import GateResult, Thresholds, corrected_gating, evaluate
from ksafe_pytest.judge_accuracy import judge_calibration
from ksafe_pytest.metrics import Metric, breakdown, tally
from ksafe_pytest.records import IMAGE, Outcome
from ksafe_pytest.stats.correction import Calibration, JudgeCalibration


@dataclass(frozen=True)
class Assessment:
    metrics: tuple[Metric, ...]
    gates: tuple[GateResult, ...]
    calibration: JudgeCalibration  # the judge's accuracy, or why there is none


def gated(outcomes: Iterable[Outcome]) -> list[Outcome]:
    """The samples the gates and baselines measure: the benchmark as it is, not the
    ablation's control conditions (they feed only its paired table)."""
    return [o for o in outcomes if o.condition == IMAGE]


def assess(outcomes: Sequence[Outcome], thresholds: Thresholds,
           calibration_file: Calibration | None = None) -> Assessment:
    """Rates and gates of `outcomes` (every sample's; controls are left out), corrected
    with the accuracy of the judge that made the judged verdicts."""
    counted = gated(outcomes)
    calibration = judge_calibration((o.judge for o in counted if not o.is_error),
                                    calibration_file)
    cells = tally(counted)
    metrics = breakdown(cells, calibration)
    gates = evaluate(thresholds, cells, metrics, calibration)
    return Assessment(tuple(metrics), tuple(gates), calibration)


def check_corrected_gating(thresholds: Thresholds, judge_spec: str,
                           calibration_file: Calibration | None) -> None:
    """Before the run: `gate_rate: corrected` needs the judge's accuracy. The rule judge's
    is built in; any other judge needs a calibration file."""
    from ksafe_pytest.judges import parse_spec

    if not corrected_gating(thresholds) or calibration_file is not None:
        return
    if parse_spec(judge_spec)[0] == "rules":
        return
    raise ConfigError(f"{thresholds.source}: gate_rate: corrected needs the judge's "
                      f"sensitivity and specificity; for judge {judge_spec!r} measure them "
                      "with `ksafe calibrate --judge ... --save FILE` and pass "
                      "--ksafe-calibration=FILE (only the rule judge's are built in)")
