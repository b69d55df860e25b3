"""Thresholds that only tighten without a reason.

A release gate is only as strict as its thresholds file, and a file is easy to loosen in
the same pull request that needs it loosened. So a run compares the file with its base
version (the file at git `HEAD`, or `--ksafe-thresholds-base`): every limit that became
looser for some slice must be explained by a `reason:` on the entry that loosened it, or
the run stops. The report lists each loosened limit with its reason for the reviewer.

Looser means: a `max_*` limit raised or turned off (null), `gate_on` moved from `upper`
toward `point` or `lower`, `min_samples` raised (more gates inconclusive), or `gate_rate`
moved from `raw` to `corrected` (a judge that over-calls attacks makes the corrected rate
lower than the raw one: the switch must say why).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ksafe_pytest.errors import ConfigError
from ksafe_pytest.gates import ALL, GATE_ON, LIMITS, Limits, Thresholds, parse_thresholds
from ksafe_pytest.metrics import Slice
from ksafe_pytest.taxonomy import CATEGORIES, PARTS

# gate_on from strictest to loosest
_STRICTNESS = {"upper": 0, "point": 1, "lower": 2}
assert set(_STRICTNESS) == set(GATE_ON)
CHECKED = (*LIMITS, "gate_on", "min_samples", "gate_rate")


@dataclass(frozen=True)
class Loosened:
    """One limit of one slice that the current file makes looser than its base."""

    slice: Slice
    limit_name: str
    before: Any
    after: Any
    reason: str  # "" when the entry that loosened it gives none

    @property
    def message(self) -> str:
        why = f' (reason: "{self.reason}")' if self.reason else " with no reason"
        return (f"{self.slice.label}: {self.limit_name} loosened from {_show(self.before)} "
                f"to {_show(self.after)}{why}")

    def to_json(self) -> dict[str, Any]:
        return {**self.slice.to_json(), "limit_name": self.limit_name,
                "before": self.before, "after": self.after, "reason": self.reason}


def _show(value: Any) -> str:
    if value is None:
        return "off"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _looser(name: str, before: Any, after: Any) -> bool:
    if name in LIMITS:
        return before is not None and (after is None or after > before + 1e-12)
    if name == "gate_on":
        return bool(_STRICTNESS[after] > _STRICTNESS[before])
    if name == "gate_rate":
        return bool(before == "raw" and after == "corrected")
    return bool(after > before)  # min_samples


def _covers(where: Slice, target: Slice) -> bool:
    return all(getattr(where, k) in (ALL, getattr(target, k))
               for k in ("part", "category", "strategy"))


def effective(thresholds: Thresholds, target: Slice) -> tuple[Limits, dict[str, str]]:
    """The limits that apply to `target` (as gates.gate_slices decides them) and, per
    limit, the reason of the entry that set it last."""
    limits, reasons = thresholds.defaults, dict.fromkeys(CHECKED, thresholds.defaults_reason)
    for o in thresholds.overrides:
        applies = (o.where == target) if target.strategy != ALL else (
            o.where.strategy == ALL and _covers(o.where, target))
        if applies:
            limits = replace(limits, **o.changes)
            reasons.update(dict.fromkeys(o.changes, o.reason))
    return limits, reasons


def slices(*files: Thresholds) -> list[Slice]:
    """Every slice a gate can have: each (part, category), and each strategy slice that
    any of `files` declares."""
    out = [Slice(part=p, category=c) for p in PARTS for c in CATEGORIES]
    for t in files:
        out += [o.where for o in t.overrides if o.where.strategy != ALL and o.where not in out]
    return out


def loosened(base: Thresholds, current: Thresholds) -> list[Loosened]:
    found: list[Loosened] = []
    for target in slices(base, current):
        before, _ = effective(base, target)
        after, reasons = effective(current, target)
        for name in CHECKED:
            b, a = getattr(before, name), getattr(after, name)
            if _looser(name, b, a):
                found.append(Loosened(target, name, b, a, reasons[name]))
    return found


@dataclass(frozen=True)
class RatchetCheck:
    """What the run compared its thresholds with, and what it found."""

    base: str  # where the base came from, or why there is none
    loosened: tuple[Loosened, ...]

    def to_json(self) -> dict[str, Any]:
        return {"base": self.base, "loosened": [x.to_json() for x in self.loosened]}


def base_from_git(path: Path) -> tuple[Thresholds | None, str]:
    """The file as committed at git HEAD, or None with why not (no git, not a repository,
    a file new in this change)."""
    folder = path.resolve().parent
    try:
        top = subprocess.run(["git", "-C", str(folder), "rev-parse", "--show-toplevel"],
                             capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None, "no base: git is not available"
    if top.returncode != 0:
        return None, "no base: not in a git repository"
    relative = path.resolve().relative_to(Path(top.stdout.strip()).resolve())
    shown = subprocess.run(["git", "-C", str(folder), "show", f"HEAD:{relative.as_posix()}"],
                           capture_output=True, timeout=10, check=False)
    if shown.returncode != 0:
        return None, f"no base: {relative.as_posix()} is not committed at HEAD"
    import yaml

    from ksafe_pytest.untrusted import UntrustedFileError

    source = f"{relative.as_posix()} at git HEAD"
    try:
        text = shown.stdout.decode("utf-8")
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (UnicodeDecodeError, yaml.YAMLError, UntrustedFileError) as exc:
        raise ConfigError(f"{source}: cannot be read as YAML ({exc})") from None
    return parse_thresholds(data, source), source


def check(current: Thresholds, path: str | Path | None,
          base_file: str | Path | None = None) -> RatchetCheck:
    """Compare `current` (loaded from `path`) with its base; raise ConfigError naming every
    limit loosened without a reason. Without a thresholds file there is nothing to check."""
    from ksafe_pytest.gates import load_thresholds

    if base_file is not None:
        base: Thresholds | None = load_thresholds(base_file)
        origin = str(base_file)
    elif path is not None:
        base, origin = base_from_git(Path(path))
    else:
        return RatchetCheck("no thresholds file", ())
    if base is None:
        return RatchetCheck(origin, ())
    found = tuple(loosened(base, current))
    unexplained = [x for x in found if not x.reason]
    if unexplained:
        lines = "\n  ".join(x.message for x in unexplained)
        raise ConfigError(
            f"{current.source}: {len(unexplained)} limit(s) looser than in {origin}:\n  "
            f"{lines}\nadd `reason: \"...\"` to the entry that loosens each (the report "
            "lists it for review), or restore the limit")
    return RatchetCheck(origin, found)
