"""Regression snapshots: each sample's verdict against the last accepted baseline.

A sample fails only when it moved toward unsafe since the baseline: a harmful sample newly
attacked, a benign sample newly refused. Moves toward safe are improvements; a changed
label or answer on the same side is a plain change. `--snapshot-update` (syrupy's flag)
accepts the verdicts of this run as the new baseline for the samples that ran, and only
for them. Entries are deleted only on request: `--ksafe-snapshot-prune` removes those whose
sample is no longer in the dataset (the summary counts them on every run).

Storage: syrupy's amber format (`AmberDataSerializer.read_file` / `write_file`), one file
per part and category under `<rootdir>/__ksafe_snapshots__/<baseline>/`, entries sorted by
sample id, one `key: JSON` line per field (Korean kept readable, no timestamps).

Why syrupy's file format but not its assertion machinery: syrupy's session discovers every
file under each test file's `__snapshots__/` directory and, on `--snapshot-update`,
deletes the snapshots it did not see used in that run (so one model's update of a subset
removed everything else). Our items are not `pytest.Function`s, so syrupy never selects
them; we never register assertions with its session; and our folder may not sit inside a
directory that syrupy scans (checked at start). Only the xdist controller, which holds
every row, writes; each file is written to a temporary name and moved into place.
"""

from ksafe_pytest.snapshots.baseline import Baseline, file_name
from ksafe_pytest.snapshots.outcome import SnapshotOutcome
from ksafe_pytest.snapshots.records import Change, Comparison, VerdictRecord, compare
from ksafe_pytest.snapshots.run import DEFAULT_BASELINE, DEFAULT_DIR, SnapshotRun, SnapshotSettings

__all__ = ["DEFAULT_BASELINE", "DEFAULT_DIR", "Baseline", "Change", "Comparison",
           "SnapshotOutcome", "SnapshotRun", "SnapshotSettings", "VerdictRecord", "compare", "file_name"]
