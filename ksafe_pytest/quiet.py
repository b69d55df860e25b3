"""A ksafe run's terminal fits a screen: no letter per sample, each failure shown once.

pytest would print a dot per sample (17,028 of them), each failed gate three times (its
letter's FAILURES section, the short summary, the ksafe summary) and every regressed sample
in full (12k regressions: 36k lines). Here, on the controller:
- a sample that passes prints no letter (`-v` still lists it);
- the FAILURES section and the short summary show the first `SHOWN` failed samples; the
  rest are counted in the ksafe summary, and every report (JSON, JUnit, Markdown) keeps
  them all;
- failed gates are listed once, in the ksafe summary.
pytest's closing line still counts every failure: the reports are hidden from the two
sections only while they are written, then put back.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest

from ksafe_pytest.items import SUITE

SHOWN = 10  # failed samples shown in full in the terminal
_PREFIX = f"{SUITE}::"
_GATE = f"{SUITE}::gate["


def is_sample(nodeid: str) -> bool:
    return nodeid.startswith(_PREFIX) and not nodeid.startswith(_GATE)


def is_gate(nodeid: str) -> bool:
    return nodeid.startswith(_GATE)


class QuietTerminal:
    """Registered on the controller of a ksafe run (not on xdist workers)."""

    def __init__(self, shown: int = SHOWN) -> None:
        self.shown = shown
        self.hidden_samples = 0  # failed samples left out of the terminal's sections

    @pytest.hookimpl(tryfirst=True)
    def pytest_report_teststatus(self, report: pytest.TestReport,
                                 config: pytest.Config) -> tuple[str, str, str] | None:
        if report.passed and report.when == "call" and is_sample(report.nodeid):
            return "passed", "", "PASSED"
        return None

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_terminal_summary(self, terminalreporter: Any) -> Generator[None, None, None]:
        stats: dict[str, list[Any]] = terminalreporter.stats
        failed = stats.get("failed", [])
        kept: list[Any] = []
        hidden: list[Any] = []
        samples = 0
        for report in failed:
            nodeid = getattr(report, "nodeid", "")
            if is_gate(nodeid):
                hidden.append(report)  # listed once, by the ksafe summary
            elif is_sample(nodeid):
                samples += 1
                (kept if samples <= self.shown else hidden).append(report)
            else:
                kept.append(report)
        self.hidden_samples = max(0, samples - self.shown)
        if hidden:
            stats["failed"] = kept
        try:
            return (yield)
        finally:
            if hidden:
                stats["failed"] = failed  # pytest's closing line counts them all
