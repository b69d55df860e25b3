"""What a run's snapshot comparison came to: frozen, built once on the controller, read
by the run record, the JSON report and the terminal summary."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ksafe_pytest.snapshots.records import Change, Comparison

DRIFT_P = 0.05  # summary lines name the categories that drifted toward unsafe below this


@dataclass(frozen=True)
class SnapshotOutcome:
    baseline: str
    directory: Path
    updating: bool  # --snapshot-update or --snapshot-update-new-only
    comparisons: tuple[Comparison, ...]
    written: tuple[Path, ...]
    baseline_size: int  # entries in the baseline before this run
    not_run: int  # baseline entries this run did not compare
    stale: tuple[str, ...]  # entries of samples not in the dataset
    pruned: tuple[Path, ...]
    mcnemar: tuple[dict[str, Any], ...]

    def counts(self) -> Counter[str]:
        out: Counter[str] = Counter(c.change.value for c in self.comparisons)
        out["unstable"] = sum(c.unstable for c in self.comparisons)
        out["failed"] = sum(c.fails for c in self.comparisons) if not self.updating else 0
        return out

    def of(self, change: Change) -> list[Comparison]:
        return [c for c in self.comparisons if c.change is change]

    def to_json(self) -> dict[str, Any]:
        counts = self.counts()
        return {
            "baseline": self.baseline,
            "directory": str(self.directory),
            "updated": self.updating,
            "files_written": [p.name for p in self.written],
            "baseline_entries": self.baseline_size,
            "not_run": None if self.updating else self.not_run,
            "not_in_dataset": len(self.stale),
            "pruned": bool(self.pruned),
            "counts": {k: counts.get(k, 0) for k in
                       ("regression", "improvement", "changed", "same", "new", "unstable",
                        "failed")},
            "changes": [c.to_json() for c in self.comparisons  # new ones only counted
                        if c.change not in (Change.SAME, Change.NEW)],
            "mcnemar": list(self.mcnemar),
        }

    def summary_lines(self) -> list[str]:
        n = self.counts()
        name = self.baseline
        if self.baseline_size == 0 and not self.updating:
            return [f"snapshots: no baseline '{name}' yet ({self.directory}); "
                    "run with --snapshot-update to accept these verdicts"]
        lines = [f"snapshots vs baseline '{name}': {n['regression']} regression(s), "
                 f"{n['improvement']} improvement(s), {n['changed']} changed, "
                 f"{n['same']} same, {n['new']} new"
                 + (f", {n['unstable']} unstable" if n["unstable"] else "")]
        regressions, improvements = self.of(Change.REGRESSION), self.of(Change.IMPROVEMENT)
        for c in regressions[:10]:
            lines.append(f"  REGRESSION {c.after.id}: {c.message}")
        if len(regressions) > 10:
            lines.append(f"  ... {len(regressions) - 10} more in the report")
        for c in improvements[:5]:
            lines.append(f"  improvement {c.after.id}: {c.message}")
        if len(improvements) > 5:
            lines.append(f"  ... {len(improvements) - 5} more improvements in the report")
        drift = [m for m in self.mcnemar if m["category"] != "*" and m["p_value"] < DRIFT_P
                 and m["to_unsafe"] > m["to_safe"]]
        for m in drift[:10]:
            where = m["category"] if m["part"] == "*" else f"{m['part']}/{m['category']}"
            what = "ASR" if m["measure"] == "asr" else "over-refusal"
            lines.append(f"  drift {where} {what}: {m['to_unsafe']} toward unsafe vs "
                         f"{m['to_safe']} toward safe of {m['paired']} paired "
                         f"(McNemar p={m['p_value']:.3g}; by base query: "
                         f"{m['flipped_clusters']} of {m['clusters']} flipped, "
                         f"clustered p={m['clustered_p']:.3g})")
        if self.pruned:
            lines.append(f"snapshots: removed {len(self.stale)} entries of samples no longer "
                         f"in the dataset ({len(self.pruned)} file(s) rewritten)")
        elif self.stale:
            lines.append(f"snapshots: {len(self.stale)} baseline entries name samples not in "
                         f"this dataset (e.g. {', '.join(self.stale[:3])}); kept: "
                         "--ksafe-snapshot-prune removes them")
        if self.updating:
            lines.append(f"snapshots: accepted as baseline '{name}': "
                         f"{len(self.written)} file(s) written in {self.directory}"
                         if self.written else f"snapshots: baseline '{name}' already "
                         "up to date")
        return lines
