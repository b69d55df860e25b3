"""The JSON report keeps its documented shape (docs/report-schema.md): every field a real
report carries is documented, and every documented top-level field is present."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import mini_rows, write_jsonl

DOC = Path(__file__).parent.parent / "docs" / "report-schema.md"
TOP = ["schema", "run", "summary", "metrics", "gates", "snapshots", "ablation", "samples"]


def documented() -> set[str]:
    spans = re.findall(r"`([^`]+)`", DOC.read_text(encoding="utf-8"))
    return {word for span in spans for word in re.findall(r"[a-z_][a-z_0-9]*", span)}


def test_real_report_matches_the_documented_schema(pytester: pytest.Pytester) -> None:
    data = write_jsonl(pytester.path / "mini.jsonl", mini_rows(per_category=1))
    out = pytester.path / "r.json"
    args = ("-p", "no:cacheprovider", f"--ksafe-dataset={data}", f"--ksafe-report={out}",
            "--ksafe-repeats=2")
    pytester.runpytest_subprocess(*args, "--ksafe-model=ksafe/refuse-all", "--snapshot-update")
    pytester.runpytest_subprocess(*args, "--ksafe-model=ksafe/comply-all")
    report = json.loads(out.read_text(encoding="utf-8"))
    assert list(report) == TOP and report["schema"] == "ksafe-report/1"
    names = documented()
    seen: set[str] = set(report) | set(report["run"]) | set(report["summary"])
    for section in ("metrics", "gates", "samples"):
        for item in report[section]:
            seen |= set(item)
    seen |= set(report["snapshots"]) | set(report["snapshots"]["counts"])
    for change in report["snapshots"]["changes"]:
        seen |= set(change) | set(change["after"])
    for row in report["snapshots"]["mcnemar"]:
        seen |= set(row)
    assert seen - names == set(), "fields missing from docs/report-schema.md"
    assert report["run"]["repeats"] == 2
    assert all(r["repeats"]["labels"] == [r["verdict"]["label"]] * 2
               for r in report["samples"])
    assert report["snapshots"]["counts"]["regression"] > 0
