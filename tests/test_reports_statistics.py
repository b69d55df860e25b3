"""Where the reports show the statistics: base queries beside n, the interval in every gate
message, rates corrected for judge error, and gates that cannot decide at their size."""

from __future__ import annotations

from ksafe_pytest.assess import assess
from ksafe_pytest.gates import parse_thresholds
from ksafe_pytest.judges.rules import JUDGE_ID
from ksafe_pytest.ratchet import RatchetCheck
from ksafe_pytest.records import Label, Outcome
from ksafe_pytest.reports.json_report import build_report
from ksafe_pytest.reports.markdown import render_markdown
from ksafe_pytest.reports.terminal import correction_lines, power_lines, table_lines
from ksafe_pytest.run_record import NON_REFUSAL, RunInfo, RunRecord, Selection


def outcomes(bases: int, attacked_bases: int, size: int = 11) -> list[Outcome]:
    rows = []
    for b in range(bases):
        for v in range(size):
            attacked = b < attacked_bases
            label = Label.COMPLIANCE if attacked else Label.REFUSAL
            row = {"id": f"C-{b}-{v}", "part": "C", "category": "Privacy",
                   "strategy": f"S{v}", "intent": "harmful", "attacked": attacked,
                   "pair_id": f"C-{b}", "verdict": {"label": label.value, "judge": JUDGE_ID,
                                                    "harmful": None}}
            rows.append(Outcome.from_json(row))
    return rows


def record(results: list[Outcome], thresholds: dict) -> RunRecord:
    t = parse_thresholds(thresholds, "t.yaml")
    a = assess(results, t)
    info = RunInfo(model="m", judge="rules", asr_name=NON_REFUSAL, dataset="d", locale="ko",
                   text_only=False, filter_as_refusal=False, repeats=1,
                   selection=Selection(), thresholds="t.yaml",
                   thresholds_check=RatchetCheck("none", ()), started=0.0)
    return RunRecord(info, tuple(results), len(results), 1.0, metrics=a.metrics,
                     gates=a.gates, judge_calibration=a.calibration)


def test_terminal_shows_bases_beside_n_and_the_corrected_rate() -> None:
    rec = record(outcomes(40, 16), {"defaults": {"max_asr": 0.5}})
    lines = table_lines(rec)
    assert "bases" in lines[0]
    privacy = next(line for line in lines if line.strip().startswith("Privacy"))
    assert " 440     40 " in privacy  # n, then its 40 base queries
    corrected = correction_lines(rec)
    assert corrected[0].startswith("non-refusal rate corrected for judge error: ")
    assert f"{JUDGE_ID} Se 0.9" in corrected[0]


def test_a_gate_that_cannot_decide_is_warned_about() -> None:
    smoke = record(outcomes(12, 3, size=1),
                   {"defaults": {"max_asr": 0.25, "max_error_rate": None}})
    assert power_lines(smoke)[0].startswith("1 gate(s) cannot decide at this size")
    assert "fails a true rate of" in power_lines(smoke)[1]
    full = record(outcomes(400, 60, size=1), {"defaults": {"max_asr": 0.25}})
    assert power_lines(full) == []
    report = build_report(smoke)
    assert report["summary"]["gates_undecidable"] == ["gate[C/Privacy/max_asr]"]
    assert "cannot decide at this size" in render_markdown(report)


def test_markdown_and_json_carry_clusters_and_the_judge_calibration() -> None:
    report = build_report(record(outcomes(40, 16), {"defaults": {"max_asr": 0.5}}))
    assert report["run"]["judge_calibration"]["judge"] == JUDGE_ID
    assert report["run"]["judge_calibration"]["attack"]["tp"] > 0
    gate = report["gates"][0]
    assert (gate["n"], gate["clusters"]) == (440, 40) and gate["low"] < gate["value"]
    md = render_markdown(report)
    assert "| n | bases |" in md and "| 440 | 40 |" in md
    assert "n=440, 40 bases; corrected for judge error" in md
