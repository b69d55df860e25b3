"""The JSON report: every sample's verdict, every metric and gate. Schema `ksafe-report/1`."""

from __future__ import annotations

import json
import math
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ksafe_pytest import __version__

if TYPE_CHECKING:
    from ksafe_pytest.run_record import RunRecord

SCHEMA = "ksafe-report/1"


def build_report(record: RunRecord) -> dict[str, Any]:
    """The run record's JSON form: what the report file holds and every other report
    renders. Built once per run."""
    info = record.info
    rows = [dict(o.row) for o in record.results]
    return {
        "schema": SCHEMA,
        "run": {
            "model": info.model,
            "judge": info.judge,
            "asr_name": info.asr_name,
            "dataset": info.dataset,
            "locale": info.locale,
            "condition": info.condition,
            "filter_as_refusal": info.filter_as_refusal,
            "repeats": info.repeats,
            "selection": {"parts": list(info.selection.parts),
                          "categories": list(info.selection.categories),
                          "strategies": list(info.selection.strategies),
                          "limit": info.selection.limit,
                          "keyword": info.selection.keyword or None,
                          "markexpr": info.selection.markexpr or None,
                          "samples": info.selection.samples,
                          "dataset_samples": info.selection.dataset_samples,
                          "narrowed": info.selection.narrowed or None},
            "thresholds": info.thresholds,
            "thresholds_check": info.thresholds_check.to_json(),
            "judge_calibration": record.judge_calibration.to_json()
            if record.judge_calibration is not None else None,
            "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(info.started)),
            "duration_s": round(record.duration_s, 3),
            "ksafe_version": __version__,
            "usage": usage_totals(rows),
            "traffic": [t.to_json() for t in record.traffic],
            "shard": info.shard.to_json() if info.shard is not None else None,
        },
        "summary": {
            "samples": len(rows),
            "errors": len(record.errors),
            "gates_failed": len(record.gates_with("fail")),
            "gates_passed": len(record.gates_with("pass")),
            "gates_inconclusive": len(record.gates_with("inconclusive")),
            "gates_undecidable": [g.id for g in record.gates if not g.can_decide],
            **evidence_counts(rows),
        },
        "metrics": [m.to_json() for m in record.metrics],
        "gates": [g.to_json() for g in record.gates],
        "snapshots": record.snapshots.to_json() if record.snapshots is not None else None,
        "ablation": [row.to_json() for row in record.ablation] or None,
        "samples": rows,
    }


DEGENERATE = ("echo", "loop", "no_content")  # judges/degenerate.py: evidence "echo: ..."
GUARD = ("guard_category_match", "guard_category_mismatch")


def evidence_counts(rows: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """How many answers the judge found adding nothing (echo, loop, no content: not counted
    as attacks) and, with a guard judge, how often the guard's category matched the
    sample's; keys only for what occurred."""
    degenerate = dict.fromkeys(DEGENERATE, 0)
    guard = dict.fromkeys(GUARD, 0)
    for row in rows:
        evidence = (row.get("verdict") or {}).get("evidence") or ()
        kind = next((k for k in DEGENERATE for e in evidence if e.startswith(k + ":")), None)
        if kind is not None:
            degenerate[kind] += 1
        for name in GUARD:
            guard[name] += any(e.startswith(name) for e in evidence)
    out: dict[str, Any] = {}
    if any(degenerate.values()):
        out["degenerate"] = degenerate
    if any(guard.values()):
        out["guard_category"] = {"match": guard[GUARD[0]], "mismatch": guard[GUARD[1]]}
    return out


def evidence_lines(counts: Mapping[str, Any]) -> list[str]:
    """What the judge saw besides refusals: answers adding nothing, guard categories."""
    lines = []
    if degenerate := counts.get("degenerate"):
        lines.append(f"{sum(degenerate.values()):,} answer(s) added nothing beyond the prompt "
                     "and the image's words, not counted as attacks: "
                     + ", ".join(f"{k.replace('_', ' ')} {n:,}" for k, n in degenerate.items()
                                 if n))
    if guard := counts.get("guard_category"):
        lines.append(f"guard categories: {guard['match']:,} matched the sample's category, "
                     f"{guard['mismatch']:,} did not")
    return lines


def usage_totals(rows: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Tokens, cost (where the provider's price is known), cache hits, and the latency of
    the answers asked in this run (median and 95th percentile; null when none was)."""
    rows = list(rows)
    costs = [r["cost_usd"] for r in rows if r.get("cost_usd") is not None]
    asked = sorted(r["latency_s"] for r in rows
                   if not r.get("cached") and not r.get("error") and r.get("latency_s"))
    return {
        "prompt_tokens": sum(r.get("prompt_tokens") or 0 for r in rows),
        "completion_tokens": sum(r.get("completion_tokens") or 0 for r in rows),
        "cost_usd": round(sum(costs), 6) if costs else None,
        "cached": sum(bool(r.get("cached")) for r in rows),
        "latency_p50_s": _percentile(asked, 0.50),
        "latency_p95_s": _percentile(asked, 0.95),
    }


def bound_name(gate: Mapping[str, Any]) -> str:
    """Which (cluster-robust) bound a gate compared with its limit ("upper", "lower"), or "" when it
    compared the rate itself."""
    bounded = gate["gate_on"] in ("upper", "lower") and gate["bound"] is not None
    return str(gate["gate_on"]) if bounded else ""


def error_causes(rows: Iterable[Mapping[str, Any]]) -> list[tuple[str, str, list[str]]]:
    """(kind, message, sample ids) per distinct cause of the error rows, most frequent
    first; ids sorted."""
    by_cause: dict[tuple[str, str], list[str]] = {}
    for r in sorted(rows, key=lambda r: r["id"]):
        err = r.get("error") or {}
        by_cause.setdefault((str(err.get("kind", "?")), str(err.get("message", ""))),
                            []).append(r["id"])
    ranked = sorted(by_cause.items(), key=lambda kv: -len(kv[1]))
    return [(kind, message, ids) for (kind, message), ids in ranked]


def _percentile(ordered: list[float], q: float) -> float | None:
    """Nearest-rank percentile of an ascending list."""
    if not ordered:
        return None
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def write_report(path: Path, report: Mapping[str, Any]) -> None:
    """One sample per line, written as it goes: the full set is ~30 MB of JSON, and one
    indented json.dumps of it would hold all of that (and more) in memory at once."""
    report = dict(report)
    samples = report.pop("samples")  # the last key of the schema
    head = json.dumps(report, ensure_ascii=False, indent=1)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8") as out:
        out.write(head[: head.rindex("}")].rstrip() + ',\n "samples": [\n')
        for i, row in enumerate(samples):
            out.write(("," if i else "") + json.dumps(row, ensure_ascii=False) + "\n")
        out.write("]\n}\n")
    tmp.replace(path)
