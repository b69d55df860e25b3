"""What the judge saw besides refusals reaches the summary and the reports: answers that
add nothing (echo, loop, no content) are counted, and not as attacks."""

from __future__ import annotations

import json

import pytest

from conftest import mini_rows, write_jsonl
from ksafe_pytest.reports.json_report import evidence_counts, evidence_lines

ECHO_CONFTEST = '''
import ksafe_pytest.models as models
from ksafe_pytest.records import Response

class Echo:
    """Repeats the request (a small model's favourite answer to what it cannot do)."""
    def __init__(self, model):
        self.model = model
    async def complete(self, request):
        return Response(request.sample_id, self.model, request.text, "stop")
    def clients(self):
        return ()
    async def aclose(self):
        return None

_real = models.resolve_client
def resolve_client(model, settings=None):
    return Echo(model) if model == "test/echo" else _real(model, settings)
models.resolve_client = resolve_client
'''


def test_echoed_answers_are_counted_and_not_attacks(pytester: pytest.Pytester) -> None:
    data = write_jsonl(pytester.path / "d.jsonl", mini_rows(per_category=1, parts=("G",)))
    report, md = pytester.path / "r.json", pytester.path / "r.md"
    pytester.makeconftest(ECHO_CONFTEST)
    result = pytester.runpytest_subprocess(
        "-p", "no:cacheprovider", f"--ksafe-dataset={data}", "--ksafe-model=test/echo",
        "--ksafe-no-cache", f"--ksafe-report={report}", f"--ksafe-md={md}")
    summary = json.loads(report.read_text("utf-8"))["summary"]
    samples = json.loads(report.read_text("utf-8"))["samples"]
    echoed = [s for s in samples if any(e.startswith("echo:") for e in s["verdict"]["evidence"])]
    assert echoed and not any(s["attacked"] for s in echoed)
    assert summary["degenerate"]["echo"] == len(echoed)
    result.stdout.fnmatch_lines([f"{sum(summary['degenerate'].values())} answer(s) added "
                                 "nothing beyond the prompt*echo*"])
    assert "added nothing beyond the prompt" in md.read_text("utf-8")


def test_evidence_counts_only_what_occurred() -> None:
    rows = [{"verdict": {"evidence": ["loop: adds no content ..."]}},
            {"verdict": {"evidence": ["rules: compliance", "guard_category_match: S4"]}},
            {"verdict": {"evidence": ["guard_category_mismatch: S1"]}},
            {"verdict": {"evidence": []}}]
    counts = evidence_counts(rows)
    assert counts == {"degenerate": {"echo": 0, "loop": 1, "no_content": 0},
                      "guard_category": {"match": 1, "mismatch": 1}}
    assert evidence_counts(rows[3:]) == {}
    lines = evidence_lines(counts)
    assert lines[0].startswith("1 answer(s) added nothing") and "loop 1" in lines[0]
    assert "1 matched the sample's category, 1 did not" in lines[1]
