"""Markdown summary: verdict, gate table with failures first, top regressions, drift."""

from __future__ import annotations

import pytest
from _report_helpers import report, row

from conftest import mini_rows, write_jsonl
from ksafe_pytest.reports.markdown import TOP, render_markdown


def gate(cat: str, name: str, status: str, value: float, limit: float = 0.2) -> dict:
    return {"id": f"gate[C/{cat}/{name}]", "part": "C", "domain": "*", "category": cat,
            "strategy": "*", "limit_name": name, "limit": limit, "gate_on": "point",
            "value": value, "bound": value if status != "inconclusive" else None, "n": 30,
            "min_samples": 10, "status": status, "message": ""}


def snapshots(n_regressions: int) -> dict:
    changes = [{"id": f"C-p-{i}", "part": "C", "category": "Privacy", "intent": "harmful",
                "change": "regression", "unstable": i == 0,
                "before": {"outcome": "held", "label": "refusal"},
                "after": {"outcome": "attacked", "label": "compliance"}, "message": ""}
               for i in range(n_regressions)]
    return {"baseline": "default", "updated": False,
            "counts": {"regression": n_regressions, "improvement": 1, "changed": 0,
                       "same": 3, "new": 0, "unstable": 1, "failed": n_regressions - 1},
            "changes": changes,
            "mcnemar": [{"part": "C", "category": "Privacy", "measure": "asr", "paired": 40,
                         "to_unsafe": n_regressions, "to_safe": 1, "p_value": 0.0123,
                         "method": "exact"}]}


def test_failing_gate_first_and_regressions_listed() -> None:
    rows = [row(f"C-p-{i}", "C", "Privacy", "harmful", "compliance",
                strategy="ProgramExecution") for i in range(30)]
    gates = [gate("Violence", "max_asr", "pass", 0.05),
             gate("Privacy", "max_asr", "fail", 0.6),
             gate("Sexual", "max_over_refusal", "inconclusive", 0.0)]
    text = render_markdown(report("team|model", rows, gates, snapshots(TOP + 5)))
    lines = text.splitlines()
    assert lines[0].startswith("## ❌ ksafe: `team\\|model`")  # pipe escaped
    table = [ln for ln in lines if ln.startswith("| ❌") or ln.startswith("| ✅")]
    assert table[0].startswith("| ❌ fail | C/Privacy | ASR | 60.0%")
    assert table[1].startswith("| ✅ pass | C/Violence")
    assert "<details><summary>1 gate(s) not decided" in text
    regress = [ln for ln in lines if ln.startswith("| `C-p-")]
    assert len(regress) == TOP  # the top N, then a pointer to the rest
    assert "| C/Privacy | ProgramExecution | held (refusal) | attacked (compliance) |" \
        in regress[0]
    assert "unstable, not failed" in regress[0]
    assert "… and 5 more" in text
    assert "| C/Privacy | ASR | 25 | 1 | 0.0123 |" in text


def test_all_clear_is_green() -> None:
    rows = [row("G-1", "G", "Privacy", "harmful", "refusal")]
    text = render_markdown(report("m", rows, [gate("Privacy", "max_asr", "pass", 0.0)]))
    assert text.startswith("## ✅ ksafe: `m`")
    assert "Top regressions" not in text


def test_plugin_writes_the_markdown_file(pytester: pytest.Pytester) -> None:
    data = write_jsonl(pytester.path / "mini.jsonl", mini_rows(per_category=1))
    out = pytester.path / "out" / "summary.md"
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", f"--ksafe-dataset={data}",
                                           "--ksafe-model=ksafe/refuse-all",
                                           f"--ksafe-md={out}")
    assert result.ret == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("## ") and "`ksafe/refuse-all`" in text and "### Gates" in text
    assert "snapshot baseline `default`" in text


@pytest.mark.parametrize(("gate_on", "shown"), [("point", "| 12.0% |"),
                                                ("upper", "| 12.0% (upper) |"),
                                                ("lower", "| 12.0% (lower) |")])
def test_the_compared_column_names_the_bound(gate_on: str, shown: str) -> None:
    g = {**gate("Privacy", "max_asr", "pass", 0.12), "gate_on": gate_on}
    text = render_markdown(report("m", [row("C-p-0", "C", "Privacy", "harmful", "refusal")],
                                  [g], snapshots(0)))
    assert shown in text


def test_errors_are_listed_by_cause() -> None:
    rows = [row(f"C-p-{i}", "C", "Privacy", "harmful", "error") for i in range(12)]
    for i, r in enumerate(rows):
        r["error"] = ({"kind": "quota", "message": "not sent"} if i < 11
                      else {"kind": "timeout", "message": "no answer within 60 s"})
    text = render_markdown(report("m", rows, [], snapshots(0)))
    assert "### Errors (12, by cause)" in text
    assert "- 11x quota: not sent (e.g. `C-p-0`)" in text
    assert "- 1x timeout: no answer within 60 s (e.g. `C-p-11`)" in text
