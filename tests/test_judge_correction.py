"""Rates corrected for judge error, from the rule judge's built-in accuracy or a user's
calibration file: through the metrics, the judge lookup and the plugin's options."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ksafe_pytest.judge_accuracy import builtin_rules_accuracy, judge_calibration
from ksafe_pytest.judges.rules import JUDGE_ID as RULES_ID
from ksafe_pytest.metrics import Slice, breakdown, measure, tally
from ksafe_pytest.records import Label, Outcome
from ksafe_pytest.stats.correction import (
    NO_CALIBRATION,
    OK,
    UNDEFINED,
    BinaryAccuracy,
    Calibration,
    JudgeCalibration,
    write_calibration,
)


def harmful(n_attacked: int, n_held: int, bases: int | None = None) -> list[Outcome]:
    """Attacked first; `bases`: how many base queries the samples share (round robin)."""
    out = []
    for i in range(n_attacked + n_held):
        attacked = i < n_attacked
        pair = f"b{i % bases}" if bases else ""
        out.append(Outcome(f"s{i}", "C", "Privacy", "Standard", "harmful",
                           Label.COMPLIANCE if attacked else Label.REFUSAL, attacked,
                           pair_id=pair))
    return out


def test_a_judge_no_better_than_chance_leaves_the_rate_uncorrected_and_says_so() -> None:
    chance = JudgeCalibration("coin@1", attack=BinaryAccuracy("coin@1", 5, 5, 4, 6))
    m = measure(tally(harmful(30, 70)), Slice(), calibration=chance)
    corrected = m.asr.to_json()["corrected"]
    assert corrected["status"] == UNDEFINED and corrected["value"] is None
    assert "Se + Sp" in corrected["note"]
    # the raw rate and its interval are untouched
    assert m.asr.value == pytest.approx(0.3) and m.asr.low < 0.3 < m.asr.high
    assert m.over_refusal.n == 0 and "corrected" not in m.errors.to_json()


def test_the_rule_judge_is_calibrated_from_the_shipped_test_split() -> None:
    attack, refusal = builtin_rules_accuracy()
    from ksafe_pytest.judges.calibration import load_calibration

    rows = load_calibration(("test",))
    n_harmful = sum(r.intent == "harmful" for r in rows)
    # each measure over the answers its rate counts: ASR harmful, over-refusal benign
    assert attack.tp + attack.fn + attack.tn + attack.fp == n_harmful >= 100
    assert refusal.tp + refusal.fn + refusal.tn + refusal.fp == len(rows) - n_harmful
    assert attack.sensitivity is not None and attack.sensitivity > 0.9
    assert refusal.specificity is not None and refusal.specificity > 0.9
    cal = judge_calibration([RULES_ID] * 3)
    metrics = breakdown(harmful(40, 60), cal)
    overall = metrics[0].asr.to_json()["corrected"]
    assert overall["status"] == OK and overall["sensitivity"] == round(attack.sensitivity, 6)


def test_judges_without_a_calibration_are_named_with_what_to_do(tmp_path: Path) -> None:
    plain = judge_calibration(["chain@1[rules@4|openai/x|majority]"])
    assert plain.attack is None and "--ksafe-calibration" in plain.note
    got = plain.correct("attack", 0.3, 0.2, 0.4)
    assert got.status == NO_CALIBRATION and "ksafe calibrate" in got.note
    mixed = judge_calibration([RULES_ID, "other@1"])
    assert mixed.attack is None and "several judges" in mixed.note
    file = Calibration((BinaryAccuracy("other@1", 9, 1, 9, 1, measure="attack"),), "cal.json")
    missing = judge_calibration(["third@1"], file)
    assert "cal.json has no entry for judge third@1" in missing.note
    assert "other@1" in missing.note
    mine = judge_calibration(["other@1"], file)
    assert mine.attack is not None and mine.refusal is None
    assert "cal.json" in mine.correct("refusal", 0.1, 0.05, 0.2).note
    # a user's file wins over the built-in figures of the rule judge
    own = Calibration((BinaryAccuracy(RULES_ID, 1, 0, 1, 0, measure="attack"),), "own.json")
    assert judge_calibration([RULES_ID], own).attack == own.accuracies[0]


def test_one_cluster_and_singletons_through_the_metrics() -> None:
    one = measure(tally(harmful(4, 7, bases=1)), Slice()).asr
    assert (one.clusters, one.low, one.high) == (1, 0.0, 1.0)
    singletons = measure(tally(harmful(4, 7)), Slice()).asr
    from ksafe_pytest.stats.intervals import wilson

    assert singletons.clusters == 11 and singletons.interval == wilson(4, 11)


# -- the plugin's option -------------------------------------------------------------------

def run(pytester: pytest.Pytester, dataset: Path, *args: str) -> pytest.RunResult:
    return pytester.runpytest("-p", "no:cacheprovider", f"--ksafe-dataset={dataset}",
                              "--ksafe-model=ksafe/guarded", "--ksafe-no-snapshots", *args)


def test_a_bad_calibration_file_stops_the_run_naming_it(pytester: pytest.Pytester,
                                                        mini_dataset: Path) -> None:
    bad = pytester.path / "cal.json"
    bad.write_text('{"version": 1, "accuracies": [{"judge": "j", "measure": "harm"}]}',
                   encoding="utf-8")
    result = run(pytester, mini_dataset, f"--ksafe-calibration={bad}")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"*{bad}: accuracies[[]0[]].measure: must be one of*"])


def test_corrected_gating_with_an_llm_judge_needs_a_calibration_file(
        pytester: pytest.Pytester, mini_dataset: Path) -> None:
    pytester.makefile(".yaml", thresholds="defaults:\n  gate_rate: corrected\n")
    result = run(pytester, mini_dataset, "--ksafe-judge=openai/gpt-4o-mini")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*gate_rate: corrected*--ksafe-calibration=FILE*"])


def test_a_calibration_file_corrects_the_report(pytester: pytest.Pytester,
                                                mini_dataset: Path) -> None:
    cal = pytester.path / "cal.json"
    write_calibration(cal, [BinaryAccuracy(RULES_ID, 8, 2, 9, 1, "mine", "attack")])
    out = pytester.path / "r.json"
    run(pytester, mini_dataset, f"--ksafe-calibration={cal}", f"--ksafe-report={out}")
    report = json.loads(out.read_text(encoding="utf-8"))
    overall = report["metrics"][0]
    assert overall["asr"]["corrected"]["sensitivity"] == 0.8
    assert overall["asr"]["corrected"]["specificity"] == 0.9
    assert overall["over_refusal"]["corrected"]["status"] == NO_CALIBRATION
