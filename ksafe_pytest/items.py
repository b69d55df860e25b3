"""pytest nodes: one item per sample, and gate results reported as items.

Sample items wait for their result from the batch runner. Gate "items" are reports made
on the controller once every result is in (under xdist no worker sees all results), so
they reach the terminal, JUnit XML and the exit code like any test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from pytest import ExceptionInfo, TestReport

from ksafe_pytest.gates import GateResult
from ksafe_pytest.records import Sample, SampleResult
from ksafe_pytest.taxonomy import slug
from ksafe_pytest.untrusted import terminal_safe

if TYPE_CHECKING:
    from _pytest._code.code import TerminalRepr

PROPERTY = "ksafe"  # user_properties key; the value is a JSON string (xdist-safe)
SUITE = "ksafe"


class SampleFailure(Exception):
    """A sample's answer failed a check (error, strict mode, regression): shown as text."""


def markers_for(sample: Sample) -> tuple[pytest.MarkDecorator, ...]:
    return _markers(sample.part, sample.category, sample.strategy, sample.intent)


@lru_cache(maxsize=4096)  # a few hundred combinations serve ~17k items
def _markers(part: str, category: str, strategy: str,
             intent: str) -> tuple[pytest.MarkDecorator, ...]:
    return (
        pytest.mark.ksafe(part=part, category=category, strategy=strategy, intent=intent),
        getattr(pytest.mark, f"part_{part.lower()}"),
        getattr(pytest.mark, slug(category)),
        getattr(pytest.mark, slug(strategy)),
        getattr(pytest.mark, intent),
    )


def marker_lines(samples: list[Sample]) -> set[str]:
    names = {"ksafe(part, category, strategy, intent): a KSAFE-MM sample"}
    for part, category, strategy, intent in {(s.part, s.category, s.strategy, s.intent)
                                             for s in samples}:
        names.add(f"part_{part.lower()}: KSAFE-MM part {part}")
        names.add(f"{slug(category)}: category {category}")
        names.add(f"{slug(strategy)}: strategy {strategy}")
        names.add(f"{intent}: {intent} samples")
    return names


@dataclass(frozen=True)
class Settled:
    """What the session made of one sample, in one call: its result, the item's
    user_properties (the row for the controller among them, under xdist), and the
    problems that fail it (strict mode, a regression; none for an error)."""

    result: SampleResult
    properties: tuple[tuple[str, object], ...] = ()
    problems: tuple[str, ...] = ()


class SampleItem(pytest.Item):
    """One KSAFE-MM sample against the model under test."""

    def __init__(self, *, sample: Sample, settle: Callable[[Sample], Settled],
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sample = sample
        self._settle = settle
        self.settled: Settled | None = None
        for mark in markers_for(sample):
            self.add_marker(mark)
        self.extra_keyword_matches.update({sample.topic, sample.category, sample.part})

    def setup(self) -> None:
        # An API failure is an ERROR of the item (setup), never a pass or a refusal.
        self.settled = settled = self._settle(self.sample)
        self.user_properties.extend(settled.properties)
        result = settled.result
        if result.is_error:
            stage = "model call" if result.response.error is not None else "judge"
            raise SampleFailure(f"{stage} failed: " + "; ".join(result.verdict.evidence))

    def runtest(self) -> None:
        assert self.settled is not None
        if self.settled.problems:
            raise SampleFailure("\n".join(self.settled.problems))

    def short_failure(self, excinfo: ExceptionInfo[BaseException]) -> str | None:
        """One line for a sample that failed (any phase); None for a bug: its traceback."""
        if isinstance(excinfo.value, SampleFailure):
            return terminal_safe(f"{self.sample.id}: {excinfo.value}")
        return None

    def repr_failure(self, excinfo: ExceptionInfo[BaseException],
                     style: Any = None) -> str | TerminalRepr:
        return self.short_failure(excinfo) or super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"{SUITE}::{self.name}"


class KsafeSuite(pytest.Collector):
    """The parent of all sample items; its samples are chosen by the session."""

    def __init__(self, *, make_items: Callable[[KsafeSuite], list[SampleItem]],
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._make_items = make_items

    def collect(self) -> Iterator[SampleItem]:
        yield from self._make_items(self)


def gate_reports(gate: GateResult, location_path: str) -> list[TestReport]:
    """setup/call/teardown reports for one gate, as if it had run as a test."""
    nodeid = f"{SUITE}::{gate.id}"
    location = (location_path, 0, gate.id)
    props = [("limit", gate.limit), ("value", gate.value), ("bound", gate.bound),
             ("n", gate.n), ("clusters", gate.clusters), ("low", gate.low),
             ("high", gate.high), ("gate_on", gate.gate_on), ("gate_rate", gate.gate_rate),
             ("status", gate.status)]

    def report(when: str, outcome: str, longrepr: Any = None) -> TestReport:
        return TestReport(nodeid=nodeid, location=location, keywords={gate.id: 1},
                          outcome=outcome, longrepr=longrepr, when=when,  # type: ignore[arg-type]
                          user_properties=props)

    if gate.status == "inconclusive":
        return [report("setup", "skipped", (location_path, 0, f"Skipped: {gate.message}")),
                report("teardown", "passed")]
    outcome = "passed" if gate.status == "pass" else "failed"
    return [report("setup", "passed"),
            report("call", outcome, None if outcome == "passed" else gate.message),
            report("teardown", "passed")]
