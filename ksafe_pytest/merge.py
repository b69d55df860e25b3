"""Shard reports (`--ksafe-shard=K/N`) back into one run: checked, measured, gated once.

The shards must be parts of the same run: the same model, judge, dataset, condition,
thresholds and selection, each of 1..N once, no sample in two of them, and together the
whole selection (its size and the hash of its sample ids, which every shard records).
The rows then are what the unsplit run would have had, so its metrics and gates follow
from them the same way (`assess`), and so do the reports.
"""

from __future__ import annotations

import calendar
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ksafe_pytest.ablation import ablation_table
from ksafe_pytest.assess import assess
from ksafe_pytest.engine.adaptive import LimitStats
from ksafe_pytest.errors import ConfigError
from ksafe_pytest.gates import load_thresholds
from ksafe_pytest.ratchet import RatchetCheck
from ksafe_pytest.ratchet import check as ratchet_check
from ksafe_pytest.records import Outcome
from ksafe_pytest.run_record import RunInfo, RunRecord, Selection
from ksafe_pytest.shard import selection_digest
from ksafe_pytest.stats.correction import Calibration

# what every shard of one run has in common (run.* of the JSON report; of `selection`, what
# was asked for: each shard counts its own samples)
SAME = ("model", "judge", "asr_name", "dataset", "locale", "condition", "filter_as_refusal",
        "repeats", "selection", "thresholds")
SELECTION_ASKED = ("parts", "categories", "strategies", "limit", "keyword", "markexpr")


def _same(run: Mapping[str, Any], key: str) -> Any:
    value = run.get(key)
    if key == "selection" and isinstance(value, Mapping):
        return {k: value.get(k) for k in SELECTION_ASKED}
    return value
DEFAULT_THRESHOLDS = "built-in defaults"


@dataclass(frozen=True)
class Merged:
    record: RunRecord
    failed_items: int  # sample items that failed in the shards (strict, regressions)


def _name(report: Mapping[str, Any]) -> str:
    return str(report.get("_path", "a report"))


def _shard(report: Mapping[str, Any]) -> Mapping[str, Any]:
    shard = report["run"].get("shard")
    if not isinstance(shard, dict):
        raise ConfigError(f"{_name(report)}: not a shard's report (run with "
                          "--ksafe-shard=K/N); nothing to merge it with")
    return shard


def check_together(reports: Sequence[Mapping[str, Any]]) -> int:
    """Raise ConfigError naming what does not fit; returns N."""
    if not reports:
        raise ConfigError("no report given")
    first = reports[0]
    shards = [_shard(r) for r in reports]
    for report, shard in zip(reports[1:], shards[1:], strict=True):
        for key in SAME:
            if _same(report["run"], key) != _same(first["run"], key):
                raise ConfigError(f"{_name(report)} is not a shard of the same run as "
                                  f"{_name(first)}: {key} {_same(report['run'], key)!r} != "
                                  f"{_same(first['run'], key)!r}")
        for key in ("count", "samples_total", "selection_sha256"):
            if shard.get(key) != shards[0].get(key):
                raise ConfigError(f"{_name(report)} and {_name(first)} split different "
                                  f"selections: shard {key} {shard.get(key)!r} != "
                                  f"{shards[0].get(key)!r}")
    count = int(shards[0]["count"])
    seen: dict[int, str] = {}
    for report, shard in zip(reports, shards, strict=True):
        index = int(shard["index"])
        if index in seen:
            raise ConfigError(f"shard {index}/{count} given twice: {seen[index]} and "
                              f"{_name(report)}")
        seen[index] = _name(report)
    missing = [f"{k}/{count}" for k in range(1, count + 1) if k not in seen]
    if missing:
        raise ConfigError(f"shard(s) {', '.join(missing)} missing: every shard's report is "
                          "needed to gate the run")
    owner: dict[str, str] = {}
    for report in reports:
        for row in report["samples"]:
            sid = str(row["id"])
            if sid in owner:
                raise ConfigError(f"sample {sid} is in two shards: {owner[sid]} and "
                                  f"{_name(report)}")
            owner[sid] = _name(report)
    total = int(shards[0]["samples_total"])
    if len(owner) != total or selection_digest(owner) != shards[0]["selection_sha256"]:
        raise ConfigError(f"the shards' {len(owner):,} samples are not the selection they "
                          f"were split from ({total:,} samples): a shard ran another "
                          "dataset version, or with -k/-m")
    return count


def merge(reports: Sequence[Mapping[str, Any]], thresholds: str | None = None,
          calibration: Calibration | None = None) -> Merged:
    """The unsplit run's record from its shards' reports (checked first)."""
    check_together(reports)
    first = reports[0]["run"]
    source = thresholds or first["thresholds"]
    path = None if source == DEFAULT_THRESHOLDS else Path(source)
    if path is not None and not path.exists():
        raise ConfigError(f"the shards were gated with {source}, which is not here: pass "
                          "--thresholds FILE")
    limits = load_thresholds(path)
    checked = ratchet_check(limits, path) if path is not None else RatchetCheck(
        first["thresholds_check"]["base"], ())
    every = sorted((Outcome.from_json(row) for r in reports for row in r["samples"]),
                   key=lambda o: o.id)
    assessment = assess(every, limits, calibration)
    starts = [_epoch(r["run"]["started_at"]) for r in reports]
    ends = [s + float(r["run"]["duration_s"]) for s, r in zip(starts, reports, strict=True)]
    selection = first["selection"]
    info = RunInfo(
        model=first["model"], judge=first["judge"], asr_name=first["asr_name"],
        dataset=first["dataset"], locale=first["locale"],
        text_only=first["condition"] == "text-only",
        filter_as_refusal=bool(first["filter_as_refusal"]), repeats=int(first["repeats"]),
        selection=Selection(tuple(selection["parts"]), tuple(selection["categories"]),
                            tuple(selection["strategies"]), selection["limit"],
                            keyword=selection.get("keyword") or "",
                            markexpr=selection.get("markexpr") or "",
                            samples=len(every),
                            dataset_samples=int(selection.get("dataset_samples") or 0)),
        thresholds=limits.source, thresholds_check=checked, started=min(starts))
    record = RunRecord(
        info, tuple(every), len(every), max(ends) - min(starts),
        metrics=assessment.metrics, gates=assessment.gates,
        judge_calibration=assessment.calibration, ablation=tuple(ablation_table(every)),
        traffic=_traffic(reports))
    failed_items = sum(int(r["run"]["shard"].get("failed_items") or 0) for r in reports)
    return Merged(record, failed_items)


def _epoch(stamp: str) -> float:
    return float(calendar.timegm(time.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ")))


def _traffic(reports: Sequence[Mapping[str, Any]]) -> tuple[LimitStats, ...]:
    """Each model's calls over all shards (jobs run apart: the peaks do not add up)."""
    merged: dict[tuple[str, str], LimitStats] = {}
    for report in reports:
        for t in report["run"].get("traffic") or []:
            key = (str(t["model"]), str(t["role"]))
            was = merged.get(key)
            rps = t.get("learned_rps")
            merged[key] = LimitStats(
                int(t["rate_limited"]) + (was.rate_limited if was else 0),
                float(t["held_s"]) + (was.held_s if was else 0.0),
                max(int(t["peak_in_flight"]), was.peak_in_flight if was else 0),
                max(int(t["window"]), was.window if was else 0),
                max(int(t["ceiling"]), was.ceiling if was else 0),
                max(float(rps or 0), (was.learned_rps or 0) if was else 0) or None,
                int(t["calls"]) + (was.calls if was else 0), key[0], key[1])
    return tuple(merged.values())


def merge_baselines(reports: Sequence[Mapping[str, Any]], folders: Sequence[str],
                    into: str) -> int:
    """Each shard's accepted baseline entries (`--snapshot-update` in its own job) into one
    baseline folder: from the k-th folder only the k-th report's samples, so an old entry
    a job checked out never overwrites what another shard accepted. Returns the entries
    taken."""
    from ksafe_pytest.snapshots.baseline import Baseline

    if len(folders) != len(reports):
        raise ConfigError(f"--baselines: one folder per report, in the reports' order "
                          f"({len(reports)} reports, {len(folders)} folders)")
    taken = []
    for report, folder in zip(reports, folders, strict=True):
        if not (report.get("snapshots") or {}).get("updated"):
            raise ConfigError(f"{_name(report)}: its shard did not accept a baseline "
                              "(run the shards with --snapshot-update)")
        if not Path(folder).is_dir():
            raise ConfigError(f"--baselines: {folder} is not a folder")
        found = Baseline(Path(folder))
        for row in report["samples"]:
            record = found.get(str(row["id"]))
            if record is None:
                raise ConfigError(f"{folder}: no accepted entry for {row['id']} of "
                                  f"{_name(report)}: is it that shard's baseline folder?")
            taken.append(record)
    Baseline(Path(into)).accept(taken)
    return len(taken)

