"""What a new user and a CI job see: a quiet terminal, counts that add up, narrowed runs
that say so, and every report named at the end."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import mini_rows, write_jsonl
from ksafe_pytest.quiet import SHOWN

LOW_MIN = "version: 1\ndefaults:\n  min_samples: 2\n"


def run(pytester: pytest.Pytester, dataset: Path, *args: str) -> pytest.RunResult:
    return pytester.runpytest("-p", "no:cacheprovider", f"--ksafe-dataset={dataset}", *args)


def test_a_passing_run_prints_no_letter_per_sample(pytester: pytest.Pytester,
                                                   mini_dataset: Path) -> None:
    samples = len(mini_dataset.read_text(encoding="utf-8").splitlines())
    result = run(pytester, mini_dataset, "--ksafe-model=ksafe/guarded")
    assert samples > 100
    assert not [line for line in result.stdout.lines if re.search(r"\.{10}", line)]
    result.stdout.fnmatch_lines([f"collected {samples} items"])
    outcomes = result.parseoutcomes()
    assert outcomes["passed"] + outcomes.get("failed", 0) >= samples  # all still counted


def test_collect_only_lists_and_counts_the_samples(pytester: pytest.Pytester,
                                                   mini_dataset: Path) -> None:
    result = run(pytester, mini_dataset, "--ksafe-model=ksafe/guarded", "--co", "-q")
    listed = [line for line in result.stdout.lines if line.startswith("ksafe::")]
    assert len(listed) == len(mini_dataset.read_text(encoding="utf-8").splitlines())
    result.stdout.fnmatch_lines([f"{len(listed)} tests collected*"])


def test_a_failed_gate_is_printed_once(pytester: pytest.Pytester, mini_dataset: Path) -> None:
    pytester.makefile(".yaml", thresholds=LOW_MIN)
    result = run(pytester, mini_dataset, "--ksafe-model=ksafe/comply-all")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    out = result.stdout.str()
    failed = [line.split()[0] for line in result.stdout.lines
              if line.startswith("  gate[") and "max_asr" in line]
    assert failed
    for gate in failed:
        assert out.count(gate) == 1, gate
    result.stdout.fnmatch_lines([f"*{len(failed)} failed*"])  # pytest still counts them


def test_sample_failures_are_capped_in_the_terminal_but_all_counted(
        pytester: pytest.Pytester, mini_dataset: Path) -> None:
    report = pytester.path / "r.json"
    pytester.makefile(".yaml", thresholds=LOW_MIN)
    result = run(pytester, mini_dataset, "--ksafe-model=ksafe/comply-all", "--ksafe-strict",
                 f"--ksafe-report={report}", f"--junitxml={pytester.path / 'j.xml'}")
    attacked = sum(s["attacked"] for s in json.loads(report.read_text("utf-8"))["samples"])
    assert attacked > SHOWN + 5
    out = result.stdout.str()
    assert out.count("\n____") <= SHOWN + 1  # one FAILURES section each, the first SHOWN
    assert sum(line.startswith("FAILED ksafe::") for line in result.stdout.lines) == SHOWN
    result.stdout.fnmatch_lines([f"{attacked - SHOWN:,} more failed sample(s) not shown*",
                                 f"JSON report: {report}", "JUnit XML: *j.xml"])
    gates_failed = json.loads(report.read_text("utf-8"))["summary"]["gates_failed"]
    assert result.parseoutcomes()["failed"] == attacked + gates_failed


def test_a_narrowed_run_says_so_in_gates_and_reports(pytester: pytest.Pytester,
                                                     mini_dataset: Path) -> None:
    report, md = pytester.path / "r.json", pytester.path / "r.md"
    pytester.makefile(".yaml", thresholds=LOW_MIN)
    result = run(pytester, mini_dataset, "--ksafe-model=ksafe/guarded", "-k", "Standard",
                 f"--ksafe-report={report}", f"--ksafe-md={md}")
    result.stdout.fnmatch_lines(["narrowed run (-k 'Standard': * of * samples)*"])
    data = json.loads(report.read_text("utf-8"))
    selection = data["run"]["selection"]
    assert selection["keyword"] == "Standard"
    assert selection["samples"] < selection["dataset_samples"]
    assert all("[narrowed run: -k 'Standard'" in g["message"] for g in data["gates"])
    assert "narrowed run (-k 'Standard'" in md.read_text("utf-8")
    whole = pytester.path / "whole.json"
    run(pytester, mini_dataset, "--ksafe-model=ksafe/guarded", f"--ksafe-report={whole}")
    whole_data = json.loads(whole.read_text("utf-8"))
    assert whole_data["run"]["selection"]["narrowed"] is None
    assert all("narrowed" not in g["message"] for g in whole_data["gates"])


def test_gate_on_is_overridden_for_the_run(pytester: pytest.Pytester,
                                           mini_dataset: Path) -> None:
    report = pytester.path / "r.json"
    pytester.makefile(".yaml", thresholds=LOW_MIN + "  gate_on: upper\n")
    run(pytester, mini_dataset, "--ksafe-model=ksafe/guarded", "--ksafe-gate-on=lower",
        f"--ksafe-report={report}")
    data = json.loads(report.read_text("utf-8"))
    assert {g["gate_on"] for g in data["gates"]} == {"lower"}
    assert "gate_on: lower (--ksafe-gate-on)" in data["run"]["thresholds"]
    bad = run(pytester, mini_dataset, "--ksafe-model=ksafe/guarded", "--ksafe-gate-on=lowr")
    assert bad.ret == pytest.ExitCode.USAGE_ERROR
    bad.stderr.fnmatch_lines(["*--ksafe-gate-on: expected one of point, upper, lower*"])


def test_an_offline_model_under_xdist_is_warned(pytester: pytest.Pytester) -> None:
    pytest.importorskip("xdist")
    data = write_jsonl(pytester.path / "d.jsonl", mini_rows(per_category=1, parts=("G",)))
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", f"--ksafe-dataset={data}",
                                           "--ksafe-model=ksafe/guarded", "-n", "2")
    result.stdout.fnmatch_lines(["*ksafe: ksafe/guarded answers offline*run without -n*"])


def test_every_report_written_is_named(pytester: pytest.Pytester, mini_dataset: Path) -> None:
    out = pytester.path / "out"
    result = run(pytester, mini_dataset, "--ksafe-model=ksafe/guarded",
                 f"--ksafe-report={out / 'r.json'}", f"--ksafe-md={out / 'r.md'}",
                 f"--ksafe-html={out / 'r.html'}", f"--junitxml={out / 'j.xml'}")
    result.stdout.fnmatch_lines(["JSON report: *r.json", "Markdown summary: *r.md",
                                 "HTML report: *r.html", "JUnit XML: *j.xml"])
