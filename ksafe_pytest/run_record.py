"""What a finished run is, built once on the controller when the run ends.

Every report reads this record or its JSON form (`reports.json_report.build_report`):
the terminal summary, the JSON report, Markdown and HTML (which render the JSON form, as
`ksafe report` renders a file) and the gates' JUnit properties. Nothing here knows the
pytest session; a new figure (a field of `Metric` or `GateResult`, or a field here with a
default) reaches every report through this one record.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ksafe_pytest.ablation import AblationRow
from ksafe_pytest.engine.adaptive import LimitStats
from ksafe_pytest.gates import GateResult
from ksafe_pytest.metrics import Metric
from ksafe_pytest.ratchet import RatchetCheck
from ksafe_pytest.records import Outcome
from ksafe_pytest.shard import Shard
from ksafe_pytest.snapshots.outcome import SnapshotOutcome
from ksafe_pytest.stats.correction import JudgeCalibration

NON_REFUSAL = "non-refusal rate"  # rule judges cannot tell harm: what ASR measures then
ATTACK_SUCCESS = "attack success rate"


@dataclass(frozen=True)
class Selection:
    """The dataset slice asked for (empty: all) and what pytest's own selection kept."""

    parts: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    strategies: tuple[str, ...] = ()
    limit: int | None = None
    keyword: str = ""  # -k
    markexpr: str = ""  # -m
    samples: int = 0  # samples that ran
    dataset_samples: int = 0  # samples in the dataset

    @property
    def narrowed(self) -> str:
        """How this run narrowed the dataset, in words ("" for the whole set): its gates
        judge that slice only, and near a limit a smaller slice can fail on noise."""
        how = [f"--ksafe-{name}={','.join(values)}" for name, values in (
            ("part", self.parts), ("category", self.categories),
            ("strategy", self.strategies)) if values]
        if self.limit is not None:
            how.append(f"--ksafe-limit={self.limit}")
        how += [f"{flag} {expr!r}" for flag, expr in (("-k", self.keyword),
                                                       ("-m", self.markexpr)) if expr]
        if not how and self.samples < self.dataset_samples:
            how.append("deselected")  # --lf, --deselect, a plugin
        if not how:
            return ""
        return f"{' '.join(how)}: {self.samples:,} of {self.dataset_samples:,} samples"


@dataclass(frozen=True)
class RunInfo:
    """What was run and how: the settings a report names."""

    model: str
    judge: str
    asr_name: str  # ATTACK_SUCCESS with a harm judge, else NON_REFUSAL
    dataset: str
    locale: str
    text_only: bool
    filter_as_refusal: bool
    repeats: int
    selection: Selection
    thresholds: str  # where the limits came from
    thresholds_check: RatchetCheck
    started: float  # epoch seconds
    cache_dir: Path | None = None  # the response cache, when answers are kept (resume)
    shard: Shard | None = None  # --ksafe-shard: this run is one part of the selection

    @property
    def condition(self) -> str:
        return "text-only" if self.text_only else "image+text"


@dataclass(frozen=True)
class RunRecord:
    info: RunInfo
    results: tuple[Outcome, ...]  # one per sample that reached the controller, by id
    expected: int  # samples selected to run
    duration_s: float
    stopped_early: str | None = None  # Ctrl-C, -x, --maxfail: then no metrics or gates
    metrics: tuple[Metric, ...] = ()
    gates: tuple[GateResult, ...] = ()
    snapshots: SnapshotOutcome | None = None  # None: off, stopped, or not written
    judge_calibration: JudgeCalibration | None = None  # what corrected the rates
    ablation: tuple[AblationRow, ...] = ()  # --ksafe-ablation: what the image adds
    # per model called (under test, judges): calls, 429s, concurrency reached
    traffic: tuple[LimitStats, ...] = ()

    @property
    def errors(self) -> list[Outcome]:
        return [o for o in self.results if o.is_error]

    def gates_with(self, status: str) -> list[GateResult]:
        return [g for g in self.gates if g.status == status]

