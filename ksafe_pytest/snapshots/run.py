"""One pytest run's snapshot work: settings from the options, per-sample checks on every
process, comparison and acceptance on the controller, the summary lines."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ksafe_pytest.errors import ConfigError
from ksafe_pytest.fileio import unwritable
from ksafe_pytest.snapshots.baseline import Baseline, file_name
from ksafe_pytest.snapshots.records import Change, Comparison, VerdictRecord, compare
from ksafe_pytest.taxonomy import CATEGORIES

DEFAULT_DIR = "__ksafe_snapshots__"
DEFAULT_BASELINE = "default"
DRIFT_P = 0.05  # summary lines name the categories that drifted toward unsafe below this


@dataclass(frozen=True)
class SnapshotSettings:
    directory: Path  # the baseline folder itself: <dir>/<baseline>
    baseline: str
    update: bool  # --snapshot-update
    new_only: bool  # --snapshot-update-new-only
    with_text: bool  # --ksafe-snapshot-text
    enabled: bool = True
    prune: bool = False  # --ksafe-snapshot-prune

    @classmethod
    def from_config(cls, config: Any) -> SnapshotSettings:
        from ksafe_pytest.options import option_value

        root = Path(config.rootpath)
        raw_dir = option_value(config, "snapshot-dir") or DEFAULT_DIR
        baseline = option_value(config, "baseline") or DEFAULT_BASELINE
        if not baseline or "/" in baseline or "\\" in baseline or baseline.startswith("."):
            raise ConfigError(f"--ksafe-baseline: a plain folder name is needed, got "
                              f"{baseline!r}")
        top = Path(raw_dir)
        top = top if top.is_absolute() else root / top
        syrupy_dir = str(getattr(config.option, "snapshot_dirname", "__snapshots__"))
        if syrupy_dir in top.parts or top.name == syrupy_dir:
            raise ConfigError(f"--ksafe-snapshot-dir {raw_dir}: must not lie inside a "
                              f"'{syrupy_dir}' folder: syrupy scans those and would delete "
                              "ksafe snapshots as unused")
        settings = cls(directory=top / baseline, baseline=baseline,
                       update=bool(config.getoption("update_snapshots", False)),
                       new_only=bool(config.getoption("update_new_snapshots_only", False)),
                       with_text=bool(config.getoption("ksafe_snapshot_text", False)),
                       enabled=not bool(config.getoption("ksafe_no_snapshots", False)),
                       prune=bool(config.getoption("ksafe_snapshot_prune", False)))
        writes = settings.update or settings.new_only or settings.prune
        why = unwritable(settings.directory / file_name("C", CATEGORIES[0])) \
            if settings.enabled and writes else None
        if why:  # found now, not after the run
            raise ConfigError(f"--ksafe-snapshot-dir {raw_dir}: cannot write the baseline "
                              f"'{baseline}' there: {why}")
        return settings


@dataclass
class SnapshotRun:
    """Snapshot comparison of one pytest run: per process `check`, controller `finish`."""

    settings: SnapshotSettings
    baseline: Baseline
    comparisons: list[Comparison] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    finished: bool = False
    baseline_size: int = 0
    mcnemar: list[dict[str, Any]] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)  # entries of samples not in the dataset
    pruned: list[Path] = field(default_factory=list)

    @classmethod
    def from_config(cls, config: Any) -> SnapshotRun:
        settings = SnapshotSettings.from_config(config)
        baseline = Baseline(settings.directory if settings.enabled else None)
        return cls(settings, baseline, baseline_size=len(baseline.records))

    @property
    def updating(self) -> bool:
        return self.settings.update or self.settings.new_only

    def compare_row(self, row: Mapping[str, Any]) -> Comparison | None:
        if not self.settings.enabled or row["verdict"]["label"] == "error":
            return None
        after = VerdictRecord.from_row(row, self.settings.with_text)
        return compare(after, self.baseline.get(after.id))

    def check(self, row: Mapping[str, Any]) -> list[str]:
        """Failure messages of one sample (any process): a regression, unless updating."""
        c = self.compare_row(row)
        if c is None or not c.fails or self.updating:
            return []
        return [f"regression against snapshot '{self.settings.baseline}': {c.message}"]

    def finish(self, rows: Mapping[str, Mapping[str, Any]],
               dataset_ids: Collection[str]) -> None:
        """Controller: compare every row, then accept them when updating; find (and with
        --ksafe-snapshot-prune remove) the entries of samples not in the dataset."""
        if not self.settings.enabled:
            return
        self.stale = sorted(k for k in self.baseline.records if k not in dataset_ids)
        if self.settings.prune and self.stale:
            self.pruned = self.baseline.prune(self.stale)
        found = [self.compare_row(rows[k]) for k in sorted(rows)]
        self.comparisons = [c for c in found if c is not None]
        from ksafe_pytest.stats import mcnemar_by_category

        self.mcnemar = mcnemar_by_category(self.comparisons)
        if self.updating:
            self.written = self.baseline.accept((c.after for c in self.comparisons),
                                                new_only=self.settings.new_only)
        self.finished = True

    def counts(self) -> Counter[str]:
        out: Counter[str] = Counter(c.change.value for c in self.comparisons)
        out["unstable"] = sum(c.unstable for c in self.comparisons)
        out["failed"] = sum(c.fails for c in self.comparisons) if not self.updating else 0
        return out

    def of(self, change: Change) -> list[Comparison]:
        return [c for c in self.comparisons if c.change is change]

    def to_json(self) -> dict[str, Any]:
        counts = self.counts()
        ran = {c.after.id for c in self.comparisons}
        return {
            "baseline": self.settings.baseline,
            "directory": str(self.settings.directory),
            "updated": self.updating,
            "files_written": [p.name for p in self.written],
            "baseline_entries": self.baseline_size,
            "not_run": sum(1 for k in self.baseline.records if k not in ran)
            if not self.updating else None,
            "not_in_dataset": len(self.stale),
            "pruned": bool(self.pruned),
            "counts": {k: counts.get(k, 0) for k in
                       ("regression", "improvement", "changed", "same", "new", "unstable",
                        "failed")},
            "changes": [c.to_json() for c in self.comparisons  # new ones only counted
                        if c.change not in (Change.SAME, Change.NEW)],
            "mcnemar": self.mcnemar,
        }

    def summary_lines(self) -> list[str]:
        if not self.finished:
            return []
        n = self.counts()
        name = self.settings.baseline
        if self.baseline_size == 0 and not self.updating:
            return [f"snapshots: no baseline '{name}' yet ({self.settings.directory}); "
                    "run with --snapshot-update to accept these verdicts"]
        lines = [f"snapshots vs baseline '{name}': {n['regression']} regression(s), "
                 f"{n['improvement']} improvement(s), {n['changed']} changed, "
                 f"{n['same']} same, {n['new']} new"
                 + (f", {n['unstable']} unstable" if n["unstable"] else "")]
        for c in self.of(Change.REGRESSION)[:10]:
            lines.append(f"  REGRESSION {c.after.id}: {c.message}")
        if len(self.of(Change.REGRESSION)) > 10:
            lines.append(f"  ... {len(self.of(Change.REGRESSION)) - 10} more in the report")
        for c in self.of(Change.IMPROVEMENT)[:5]:
            lines.append(f"  improvement {c.after.id}: {c.message}")
        if len(self.of(Change.IMPROVEMENT)) > 5:
            lines.append(f"  ... {len(self.of(Change.IMPROVEMENT)) - 5} more improvements "
                         "in the report")
        drift = [m for m in self.mcnemar if m["category"] != "*" and m["p_value"] < DRIFT_P
                 and m["to_unsafe"] > m["to_safe"]]
        for m in drift[:10]:
            where = m["category"] if m["part"] == "*" else f"{m['part']}/{m['category']}"
            what = "ASR" if m["measure"] == "asr" else "over-refusal"
            lines.append(f"  drift {where} {what}: {m['to_unsafe']} toward unsafe vs "
                         f"{m['to_safe']} toward safe of {m['paired']} paired "
                         f"(McNemar p={m['p_value']:.3g})")
        if self.pruned:
            lines.append(f"snapshots: removed {len(self.stale)} entries of samples no longer "
                         f"in the dataset ({len(self.pruned)} file(s) rewritten)")
        elif self.stale:
            lines.append(f"snapshots: {len(self.stale)} baseline entries name samples not in "
                         f"this dataset (e.g. {', '.join(self.stale[:3])}); kept: "
                         "--ksafe-snapshot-prune removes them")
        if self.updating:
            lines.append(f"snapshots: accepted as baseline '{name}': "
                         f"{len(self.written)} file(s) written in {self.settings.directory}"
                         if self.written else f"snapshots: baseline '{name}' already "
                         "up to date")
        return lines

    def write_summary(self, terminalreporter: Any) -> None:
        lines = self.summary_lines()
        if lines:
            terminalreporter.write_line("")
        for line in lines:
            red = line.lstrip().startswith("REGRESSION")
            terminalreporter.write_line(line, red=red)
