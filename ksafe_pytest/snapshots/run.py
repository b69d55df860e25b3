"""One pytest run's snapshot work: per-sample checks on every process, comparison and
acceptance on the controller (into a SnapshotOutcome). Its settings come from
`options.snapshot_settings`."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

from ksafe_pytest.records import Outcome
from ksafe_pytest.snapshots.baseline import Baseline
from ksafe_pytest.snapshots.outcome import SnapshotOutcome
from ksafe_pytest.snapshots.records import Comparison, VerdictRecord, compare

DEFAULT_DIR = "__ksafe_snapshots__"
DEFAULT_BASELINE = "default"


@dataclass(frozen=True)
class SnapshotSettings:
    directory: Path  # the baseline folder itself: <dir>/<baseline>
    baseline: str
    update: bool  # --snapshot-update
    new_only: bool  # --snapshot-update-new-only
    with_text: bool  # --ksafe-snapshot-text
    enabled: bool = True
    prune: bool = False  # --ksafe-snapshot-prune


@dataclass
class SnapshotRun:
    """Snapshot comparison of one pytest run: per process `check`, controller `finish`."""

    settings: SnapshotSettings
    baseline: Baseline
    baseline_size: int = 0

    @classmethod
    def open(cls, settings: SnapshotSettings) -> SnapshotRun:
        baseline = Baseline(settings.directory if settings.enabled else None)
        return cls(settings, baseline, baseline_size=len(baseline.records))

    @property
    def updating(self) -> bool:
        return self.settings.update or self.settings.new_only

    def compare(self, outcome: Outcome) -> Comparison | None:
        if not self.settings.enabled or outcome.is_error:
            return None
        after = VerdictRecord.from_outcome(outcome, self.settings.with_text)
        return compare(after, self.baseline.get(after.id))

    def check(self, outcome: Outcome) -> list[str]:
        """Failure messages of one sample (any process): a regression, unless updating."""
        c = self.compare(outcome)
        if c is None or not c.fails or self.updating:
            return []
        return [f"regression against snapshot '{self.settings.baseline}': {c.message}"]

    def finish(self, outcomes: Iterable[Outcome],
               dataset_ids: Collection[str]) -> SnapshotOutcome | None:
        """Controller: compare every outcome, then accept them when updating; find (and
        with --ksafe-snapshot-prune remove) the entries of samples not in the dataset.
        None when snapshots are off."""
        if not self.settings.enabled:
            return None
        stale = sorted(k for k in self.baseline.records if k not in dataset_ids)
        pruned = self.baseline.prune(stale) if self.settings.prune and stale else []
        ordered = sorted(outcomes, key=lambda o: o.id)
        found = [self.compare(o) for o in ordered]
        comparisons = tuple(c for c in found if c is not None)
        from ksafe_pytest.stats import mcnemar_by_category

        written = self.baseline.accept((c.after for c in comparisons),
                                       new_only=self.settings.new_only) \
            if self.updating else []
        ran = {c.after.id for c in comparisons}
        return SnapshotOutcome(
            baseline=self.settings.baseline, directory=self.settings.directory,
            updating=self.updating, comparisons=comparisons, written=tuple(written),
            baseline_size=self.baseline_size,
            not_run=sum(1 for k in self.baseline.records if k not in ran),
            stale=tuple(stale), pruned=tuple(pruned),
            mcnemar=tuple(mcnemar_by_category(comparisons,
                                              {o.id: o.cluster for o in ordered})))
