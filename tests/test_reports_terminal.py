"""The terminal summary: errors listed by cause, the usage line's latency figures."""

from __future__ import annotations

import pytest

from ksafe_pytest.reports.terminal import error_lines


def failed(sid: str, kind: str, message: str) -> dict:
    return {"id": sid, "verdict": {"label": "error"}, "error": {"kind": kind, "message": message}}


def test_errors_are_grouped_by_cause_most_frequent_first() -> None:
    rows = ([failed(f"C-{i:04d}", "quota", "not sent: quota exhausted") for i in range(50)]
            + [failed("G-0001", "timeout", "no answer within 60 s"),
               failed("G-0000", "timeout", "no answer within 60 s")]
            + [failed(f"X-{i}", "client", f"request rejected #{i}") for i in range(6)])
    lines = error_lines(rows)
    assert lines[0] == "  50x quota: not sent: quota exhausted (e.g. C-0000)"
    assert lines[1] == "  2x timeout: no answer within 60 s (e.g. G-0000)"
    assert len(lines) == 6 and lines[-1] == "  ... 3 more cause(s) in the report"


def test_latency_percentiles_count_only_answers_asked_in_this_run() -> None:
    from ksafe_pytest.reports.json_report import usage_totals

    asked = [{"latency_s": 0.1 * i, "cached": False, "error": None} for i in range(1, 21)]
    cached = [{"latency_s": 99.0, "cached": True, "error": None}]
    failed = [{"latency_s": 60.0, "cached": False, "error": {"kind": "timeout"}}]
    usage = usage_totals(asked + cached + failed)
    assert usage["latency_p50_s"] == pytest.approx(1.0)
    assert usage["latency_p95_s"] == pytest.approx(1.9)
    assert usage_totals(cached)["latency_p50_s"] is None
