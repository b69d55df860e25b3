"""`--ksafe-shard=K/N`: a deterministic, stratified 1/N of the selection for one CI job.

Each part and category is split on its own, so every category lands in every shard (when
it has at least N base queries); a base query's samples (its jailbreak variants and benign
twin) stay together, so the clusters the intervals count are never cut. The order within a
category is a hash of the base query, not the dataset's order: shards come out even in
content, and the same selection always splits the same way. `ksafe merge` puts the shards'
reports back together and gates once (`ksafe_pytest/merge.py`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ksafe_pytest.errors import ConfigError
from ksafe_pytest.records import Sample


@dataclass(frozen=True)
class Shard:
    index: int  # 1..count
    count: int
    samples_total: int  # the whole selection, all shards together
    selection_sha256: str  # of the whole selection's sample ids
    failed_items: int = 0  # sample items that failed here (--ksafe-strict, regressions)

    @property
    def label(self) -> str:
        return f"{self.index}/{self.count}"

    def to_json(self) -> dict[str, Any]:
        return {"index": self.index, "count": self.count, "samples_total": self.samples_total,
                "selection_sha256": self.selection_sha256, "gates_deferred": True,
                "failed_items": self.failed_items}


def parse_shard(text: str) -> tuple[int, int]:
    """`K/N` with 1 <= K <= N."""
    k, sep, n = text.strip().partition("/")
    try:
        index, count = int(k), int(n)
    except ValueError:
        index = count = 0
    if not sep or count < 1 or not 1 <= index <= count:
        raise ConfigError(f"--ksafe-shard: expected K/N with 1 <= K <= N (e.g. 2/3), "
                          f"got {text!r}")
    return index, count


def selection_digest(ids: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(sorted(ids)).encode("utf-8")).hexdigest()


def _unit_order(unit: str) -> str:
    return hashlib.sha256(unit.encode("utf-8")).hexdigest()


def shard_samples(samples: Sequence[Sample], index: int, count: int
                  ) -> tuple[list[Sample], Shard]:
    """The samples of shard `index` of `count`, in their selection order, and what the
    merge needs to check that the shards add up to the selection."""
    units: dict[tuple[str, str], dict[str, None]] = {}
    for s in samples:  # base queries per stratum, in first-seen order (dict keeps it)
        units.setdefault((s.part, s.category), {})[s.pair_id or s.id] = None
    owner: dict[str, int] = {}
    offset = 0  # rotates, so the strata's remainders do not all fall on shard 1
    for stratum in sorted(units):
        ordered = sorted(units[stratum], key=_unit_order)
        for i, unit in enumerate(ordered):
            owner[unit] = (offset + i) % count
        offset += len(ordered)
    mine = [s for s in samples if owner[s.pair_id or s.id] == index - 1]
    return mine, Shard(index, count, len(samples), selection_digest(s.id for s in samples))
