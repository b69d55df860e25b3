"""The accepted verdicts on disk: syrupy's amber format, one file per part and category."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from ksafe_pytest.errors import ConfigError
from ksafe_pytest.snapshots.records import VerdictRecord
from ksafe_pytest.taxonomy import CATEGORIES, PARTS, slug

SUFFIX = ".ambr"


def file_name(part: str, category: str) -> str:
    """`C-privacy.ambr`: one file per part and category."""
    return f"{part}-{slug(category)}{SUFFIX}"


def _category_of_slug(value: str) -> str | None:
    return next((c for c in CATEGORIES if slug(c) == value), None)


class Baseline:
    """The accepted verdicts of one baseline folder, read once per process."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self.records: dict[str, VerdictRecord] = {}
        self.files: dict[str, dict[str, VerdictRecord]] = {}  # file name -> id -> record
        if directory is not None and directory.is_dir():
            for path in sorted(directory.glob(f"*{SUFFIX}")):
                self._read(path)

    def _read(self, path: Path) -> None:
        from syrupy.extensions.amber.serializer import (
            AmberDataSerializer,
            MalformedAmberFile,
        )

        part, _, cat_slug = path.name.removesuffix(SUFFIX).partition("-")
        category = _category_of_slug(cat_slug)
        if part not in PARTS or category is None:
            raise ConfigError(f"{path}: not a ksafe snapshot file name (expected "
                              "<part>-<category slug>.ambr, e.g. C-privacy.ambr)")
        try:
            collection = AmberDataSerializer.read_file(str(path))
        except (MalformedAmberFile, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: malformed snapshot file: {exc}") from None
        if collection.tainted:
            raise ConfigError(f"{path}: not an amber v{AmberDataSerializer.VERSION} file "
                              "(first line must be '# serializer version: "
                              f"{AmberDataSerializer.VERSION}')")
        entries: dict[str, VerdictRecord] = {}
        for snap in collection:
            record = VerdictRecord.parse(snap.name, str(snap.data), part, category, str(path))
            entries[record.id] = record
        self.files[path.name] = entries
        self.records.update(entries)

    def get(self, sample_id: str) -> VerdictRecord | None:
        return self.records.get(sample_id)

    def accept(self, records: Iterable[VerdictRecord], new_only: bool = False) -> list[Path]:
        """Write the given records over their baseline entries; keep every other entry.

        Returns the files that changed. Only the process that holds every result (the
        xdist controller) may call this.
        """
        if self.directory is None:
            return []
        by_file: dict[str, dict[str, VerdictRecord]] = {}
        for r in records:
            if new_only and r.id in self.records:
                continue
            by_file.setdefault(file_name(r.part, r.category), {})[r.id] = r
        written: list[Path] = []
        for name in sorted(by_file):
            old = self.files.get(name, {})
            merged = {**old, **by_file[name]}
            if merged != old:
                written.append(self._write(name, merged))
        return written

    def prune(self, ids: Iterable[str]) -> list[Path]:
        """Remove these entries (samples gone from the dataset); a file left empty is
        deleted. Returns the files that changed. Controller only, like `accept`."""
        if self.directory is None:
            return []
        gone = set(ids)
        changed: list[Path] = []
        for name in sorted(self.files):
            kept = {k: r for k, r in self.files[name].items() if k not in gone}
            if len(kept) != len(self.files[name]):
                changed.append(self._write(name, kept))
        return changed

    def _write(self, name: str, entries: dict[str, VerdictRecord]) -> Path:
        """Replace one file with `entries` (sorted by id), atomically; none: delete it."""
        from syrupy.data import Snapshot, SnapshotCollection
        from syrupy.extensions.amber.serializer import AmberDataSerializer

        assert self.directory is not None
        path = self.directory / name
        for rid in set(self.files.get(name, {})) - set(entries):
            del self.records[rid]
        self.records.update(entries)
        self.files[name] = entries
        if not entries:
            path.unlink(missing_ok=True)
            return path
        self.directory.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{name}.{os.getpid()}.tmp")
        collection = SnapshotCollection(location=str(tmp))
        for rid in sorted(entries):
            collection.add(Snapshot(name=rid, data=entries[rid].entry()))
        try:
            AmberDataSerializer.write_file(collection, merge=False, file_lock=False)
            tmp.replace(path)
        finally:
            tmp.unlink(missing_ok=True)
        return path
