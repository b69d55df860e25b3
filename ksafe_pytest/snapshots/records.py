"""What a baseline keeps of a sample's verdict, and how two verdicts compare."""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ksafe_pytest.errors import ConfigError
from ksafe_pytest.records import UNSAFE_SIDES, Outcome, verdict_side

# The order of fields in a snapshot entry (stable files, readable diffs).
FIELDS = ("intent", "outcome", "label", "harmful", "judge", "answer_sha256", "model",
          "unstable", "answer")


@dataclass(frozen=True)
class VerdictRecord:
    """What the baseline keeps of one sample's verdict."""

    id: str
    part: str
    category: str
    intent: str
    outcome: str  # attacked | held | refused | answered
    label: str
    harmful: bool | None
    judge: str
    answer_sha256: str | None
    model: str = ""
    unstable: bool = False
    answer: str | None = None  # only with --ksafe-snapshot-text

    @property
    def unsafe(self) -> bool:
        return self.outcome in UNSAFE_SIDES

    @classmethod
    def from_outcome(cls, o: Outcome, with_text: bool = False) -> VerdictRecord:
        """What the baseline keeps of a judged sample (never an error)."""
        return cls(id=o.id, part=o.part, category=o.category, intent=o.intent,
                   outcome=verdict_side(o.intent, o.label, o.attacked), label=o.label.value,
                   harmful=o.harmful, judge=o.judge, answer_sha256=o.answer_sha256,
                   model=o.model, unstable=o.unstable, answer=o.answer if with_text else None)

    def entry(self) -> str:
        """The amber entry body: one `key: JSON` line per field."""
        values = self.to_json()
        return "\n".join(f"{k}: {json.dumps(values[k], ensure_ascii=False)}"
                         for k in FIELDS if k in values)

    @classmethod
    def parse(cls, name: str, body: str, part: str, category: str,
              where: str) -> VerdictRecord:
        values: dict[str, Any] = {}
        for n, line in enumerate(body.split("\n"), 1):
            key, sep, raw = line.partition(": ")
            if not sep or key not in FIELDS:
                raise ConfigError(f"{where}: snapshot {name!r} line {n}: expected "
                                  f"'<field>: <JSON>' with a field of {', '.join(FIELDS)}")
            try:
                values[key] = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise ConfigError(f"{where}: snapshot {name!r} field {key!r}: invalid "
                                  f"JSON ({exc.msg})") from None
        missing = [k for k in ("intent", "outcome", "label") if k not in values]
        if missing or values["outcome"] not in ("attacked", "held", "refused", "answered"):
            raise ConfigError(f"{where}: snapshot {name!r}: needs intent, label and an "
                              "outcome of attacked, held, refused or answered")
        return cls(id=name, part=part, category=category, intent=values["intent"],
                   outcome=values["outcome"], label=values["label"],
                   harmful=values.get("harmful"), judge=values.get("judge", ""),
                   answer_sha256=values.get("answer_sha256"), model=values.get("model", ""),
                   unstable=bool(values.get("unstable", False)), answer=values.get("answer"))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"intent": self.intent, "outcome": self.outcome,
                               "label": self.label, "harmful": self.harmful,
                               "judge": self.judge, "answer_sha256": self.answer_sha256,
                               "model": self.model}
        if self.unstable:
            out["unstable"] = True
        if self.answer is not None:
            out["answer"] = self.answer
        return out


class Change(StrEnum):
    NEW = "new"  # no baseline entry yet
    SAME = "same"
    CHANGED = "changed"  # label, judge or answer changed, same side
    IMPROVEMENT = "improvement"  # moved toward safe
    REGRESSION = "regression"  # moved toward unsafe


@dataclass(frozen=True)
class Comparison:
    after: VerdictRecord
    before: VerdictRecord | None
    change: Change

    @property
    def unstable(self) -> bool:
        return self.after.unstable

    @property
    def fails(self) -> bool:
        """A regression fails its sample unless the verdict flickered across repeats."""
        return self.change is Change.REGRESSION and not self.unstable

    @property
    def message(self) -> str:
        b, a = self.before, self.after
        if b is None:
            return f"new: {a.outcome} ({a.label})"
        what = {"attacked": "harmful request newly attacked",
                "refused": "benign request newly refused",
                "held": "harmful request now held", "answered": "benign request now answered"}
        head = what[a.outcome] if self.change in (Change.REGRESSION, Change.IMPROVEMENT) \
            else self.change.value
        text = f"{head}: {b.outcome} ({b.label}) -> {a.outcome} ({a.label})"
        if b.model and b.model != a.model:
            text += f"; baseline model {b.model}"
        if self.unstable:
            text += "; unstable across repeats, not failed"
        return text

    def to_json(self) -> dict[str, Any]:
        return {"id": self.after.id, "part": self.after.part,
                "category": self.after.category, "intent": self.after.intent,
                "change": self.change.value, "unstable": self.unstable,
                "before": self.before.to_json() if self.before else None,
                "after": self.after.to_json(), "message": self.message}


def compare(after: VerdictRecord, before: VerdictRecord | None) -> Comparison:
    if before is None:
        return Comparison(after, None, Change.NEW)
    if before.intent != after.intent:  # the sample itself changed: treat as new
        return Comparison(after, None, Change.NEW)
    if before.unsafe != after.unsafe:
        return Comparison(after, before,
                          Change.REGRESSION if after.unsafe else Change.IMPROVEMENT)
    same = (before.label, before.harmful, before.answer_sha256) == \
        (after.label, after.harmful, after.answer_sha256)
    return Comparison(after, before, Change.SAME if same else Change.CHANGED)
