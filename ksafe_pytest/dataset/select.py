"""Narrow a dataset by part, category and strategy, and take a stable stratified subset."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ksafe_pytest.records import Sample, sha256_hex


@dataclass(frozen=True)
class Selection:
    parts: tuple[str, ...] = ()  # empty: all
    categories: tuple[str, ...] = ()
    strategies: tuple[str, ...] = ()
    limit: int | None = None


def _stratum(sample: Sample) -> tuple[str, str, str, str]:
    return (sample.part, sample.category, sample.strategy, sample.intent)


def stratified(samples: list[Sample], limit: int) -> list[Sample]:
    """About `limit` samples with every stratum kept in proportion (largest remainder).

    Within a stratum, samples are ranked by a hash of their id, so the subset is the
    same on every run and machine and does not depend on file order.
    """
    if limit >= len(samples):
        return list(samples)
    groups: dict[tuple[str, str, str, str], list[Sample]] = defaultdict(list)
    for s in samples:
        groups[_stratum(s)].append(s)
    total = len(samples)
    quotas = {k: limit * len(v) / total for k, v in groups.items()}
    take = {k: int(q) for k, q in quotas.items()}
    spare = limit - sum(take.values())
    by_remainder = sorted(groups, key=lambda k: (-(quotas[k] - take[k]), k))
    for k in by_remainder[:spare]:
        take[k] += 1
    chosen: set[str] = set()
    for k, members in groups.items():
        ranked = sorted(members, key=lambda s: sha256_hex(s.id))
        chosen.update(s.id for s in ranked[: take[k]])
    return [s for s in samples if s.id in chosen]


def select(samples: list[Sample], selection: Selection) -> list[Sample]:
    kept = [
        s for s in samples
        if (not selection.parts or s.part in selection.parts)
        and (not selection.categories or s.category in selection.categories)
        and (not selection.strategies or s.strategy in selection.strategies)
    ]
    if selection.limit is not None:
        kept = stratified(kept, selection.limit)
    return kept
