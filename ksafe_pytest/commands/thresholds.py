"""`ksafe thresholds --tighten REPORT`: propose tighter limits from a passing run.

For each gate that passed, the new limit is the rate's 95% upper bound plus a stated
margin, rounded up to a whole percent; a limit is only ever lowered, never raised. The
proposal is printed as a unified diff of the thresholds file (`--write` applies it), so it
is reviewed like any change. Entries are rewritten through YAML, so comments inside
`overrides` do not survive a `--write`; the comment block at the top of the file does.
"""

from __future__ import annotations

import argparse
import difflib
import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ksafe_pytest.errors import ConfigError
from ksafe_pytest.gates import ALL, parse_thresholds
from ksafe_pytest.metrics import Slice, wilson
from ksafe_pytest.ratchet import effective
from ksafe_pytest.reports.compare import load_report
from ksafe_pytest.untrusted import UntrustedFileError, read_text

RATE_OF = {"max_asr": "asr", "max_over_refusal": "over_refusal", "max_error_rate": "error_rate"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--tighten", metavar="REPORT", required=True,
                        help="JSON report (--ksafe-report) of a passing run")
    parser.add_argument("--thresholds", default="thresholds.yaml",
                        help="the thresholds file to tighten (default: thresholds.yaml)")
    parser.add_argument("--margin", type=float, default=0.02,
                        help="added to each upper bound (default 0.02: two points)")
    parser.add_argument("--write", action="store_true", help="apply the proposal to the file")


@dataclass(frozen=True)
class Proposal:
    slice: Slice
    limit_name: str
    current: float
    proposed: float
    upper: float  # the 95% upper bound it was derived from

    @property
    def line(self) -> str:
        return (f"{self.slice.label}: {self.limit_name} {self.current:g} -> {self.proposed:g} "
                f"(95% upper bound {self.upper:.3f} + margin)")


def _upper(gate: dict[str, Any], report: dict[str, Any]) -> float:
    """The upper bound of the gated rate: the gate's own (cluster-robust, and corrected when
    it gates the corrected rate), else the report's metric of the same slice, else a
    Wilson bound on the gate's point estimate and size (reports before clusters)."""
    if gate.get("high") is not None:
        return float(gate["high"])
    keys = ("part", "category", "strategy")
    for metric in report.get("metrics", []):
        if all(metric.get(k) == gate.get(k) for k in keys):
            rate = metric.get(RATE_OF[gate["limit_name"]]) or {}
            if rate.get("high") is not None:
                return float(rate["high"])
    n = int(gate["n"])
    return wilson(round(float(gate["value"]) * n), n)[1]


def proposals(report: dict[str, Any], thresholds_data: Any, source: str,
              margin: float) -> list[Proposal]:
    current = parse_thresholds(thresholds_data, source)
    out: list[Proposal] = []
    for gate in report["gates"]:
        if gate.get("status") != "pass":
            continue
        where = Slice(part=gate.get("part", ALL), category=gate.get("category", ALL),
                      strategy=gate.get("strategy", ALL))
        limits, _ = effective(current, where)
        limit = getattr(limits, gate["limit_name"])
        if limit is None:
            continue
        upper = _upper(gate, report)
        proposed = min(1.0, math.ceil(round((upper + margin) * 100, 6)) / 100)
        if proposed < limit - 1e-12:
            out.append(Proposal(where, gate["limit_name"], limit, proposed, upper))
    return out


def apply(data: Any, found: list[Proposal]) -> dict[str, Any]:
    """The thresholds data with each proposal set on the override of exactly its slice
    (added when there is none)."""
    data = dict(data or {})
    overrides = [dict(o) for o in (data.get("overrides") or [])]
    for p in found:
        selectors = {k: v for k, v in p.slice.to_json().items()
                     if k in ("part", "category", "strategy") and v != ALL}
        entry = next((o for o in overrides
                      if {k: o.get(k) for k in ("part", "category", "strategy") if k in o}
                      == selectors), None)
        if entry is None:
            entry = dict(selectors)
            overrides.append(entry)
        entry[p.limit_name] = p.proposed
    data.setdefault("version", 1)
    data["overrides"] = overrides
    return data


def _header(text: str) -> str:
    lines = []
    for line in text.splitlines(keepends=True):
        if not line.startswith("#"):
            break
        lines.append(line)
    return "".join(lines)


def run(args: argparse.Namespace) -> int:
    if not 0 <= args.margin < 1:
        raise ConfigError(f"--margin must be from 0 to 1, got {args.margin}")
    report = load_report(args.tighten)
    path = Path(args.thresholds)
    try:
        text = read_text(path)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read thresholds file: {exc.strerror}") from None
    except UntrustedFileError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    data = yaml.safe_load(text)
    if report.get("summary", {}).get("gates_failed"):
        print(f"ksafe thresholds: {args.tighten} has failed gates: only gates that passed "
              "are tightened", file=sys.stderr)
    found = proposals(report, data, str(path), args.margin)
    if not found:
        print(f"{path}: nothing to tighten (every limit is within the upper bound + "
              f"{args.margin:g})")
        return 0
    new = _header(text) + yaml.safe_dump(apply(data, found), sort_keys=False,
                                         allow_unicode=True)
    parse_thresholds(yaml.safe_load(new), str(path))  # what is written must load
    for p in found:
        print(p.line)
    sys.stdout.writelines(difflib.unified_diff(
        text.splitlines(keepends=True), new.splitlines(keepends=True),
        fromfile=f"a/{path}", tofile=f"b/{path}"))
    if args.write:
        path.write_text(new, encoding="utf-8")
        print(f"wrote {path}")
    return 0
