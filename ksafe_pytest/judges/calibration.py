"""Judge agreement with hand labels: the calibration set and the figures we report.

The set ships with the package (data/calibration/{train,dev,test}.jsonl). Rules were written
against train and dev only; `test` is the held-out split that `ksafe calibrate` reports on.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ksafe_pytest.errors import DatasetError

SPLITS: tuple[str, ...] = ("train", "dev", "test")
LABELS: tuple[str, ...] = ("refusal", "partial", "compliance")
_REQUIRED = ("id", "lang", "intent", "prompt", "response", "label")


@dataclass(frozen=True)
class LabelledAnswer:
    """One hand-labelled answer: the prompt it answers and the label a human gave it."""

    id: str
    split: str
    lang: str
    intent: str
    category: str
    strategy: str
    case: str
    prompt: str
    response: str
    label: str


def _rows(path: str, lines: Iterable[str], split: str) -> list[LabelledAnswer]:
    out: list[LabelledAnswer] = []
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DatasetError(f"invalid JSON: {exc.msg}", path=path, line=lineno) from None
        if not isinstance(data, dict):
            raise DatasetError("expected a JSON object", path=path, line=lineno)
        for name in _REQUIRED:
            if not isinstance(data.get(name), str):
                raise DatasetError("missing or not a string", path=path, line=lineno, field=name)
        if data["label"] not in LABELS:
            raise DatasetError(f"label must be one of {', '.join(LABELS)}", path=path,
                               line=lineno, field="label")
        out.append(LabelledAnswer(
            id=data["id"], split=data.get("split", split), lang=data["lang"],
            intent=data["intent"], category=data.get("category", ""),
            strategy=data.get("strategy", "Standard"), case=data.get("case", ""),
            prompt=data["prompt"], response=data["response"], label=data["label"]))
    return out


def load_calibration(splits: Sequence[str] = ("test",), path: str | None = None
                     ) -> list[LabelledAnswer]:
    """The built-in calibration rows of `splits`, or every row of a user's JSONL `path`."""
    if path is not None:
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8")
        except OSError as exc:
            raise DatasetError(f"cannot read: {exc.strerror}", path=path) from None
        return _rows(path, text.splitlines(), "user")
    out: list[LabelledAnswer] = []
    base = resources.files("ksafe_pytest") / "data" / "calibration"
    for split in splits:
        if split not in SPLITS:
            raise DatasetError(f"unknown split {split!r}; expected one of: {', '.join(SPLITS)}")
        res = base / f"{split}.jsonl"
        out.extend(_rows(str(res), res.read_text(encoding="utf-8").splitlines(), split))
    return out


@dataclass(frozen=True)
class ClassScore:
    label: str
    support: int
    precision: float | None  # None: the judge never predicted this label
    recall: float | None  # None: no gold example of this label


@dataclass(frozen=True)
class Agreement:
    """How one judge agrees with the gold labels on a set of answers."""

    n: int
    accuracy: float
    kappa: float
    classes: tuple[ClassScore, ...]
    errors: int = 0  # judge errors (label "error"): counted as disagreement
    confusion: dict[tuple[str, str], int] = field(default_factory=dict)  # (gold, predicted)


def cohen_kappa(gold: Sequence[str], pred: Sequence[str]) -> float:
    """Cohen's kappa: agreement corrected for what two raters would reach by chance."""
    n = len(gold)
    if n == 0:
        return 0.0
    observed = sum(g == p for g, p in zip(gold, pred, strict=True)) / n
    gc, pc = Counter(gold), Counter(pred)
    expected = sum(gc[k] * pc[k] for k in gc) / (n * n)
    if expected == 1.0:
        return 1.0 if observed == 1.0 else 0.0
    return (observed - expected) / (1.0 - expected)


def agreement(gold: Sequence[str], pred: Sequence[str]) -> Agreement:
    n = len(gold)
    pairs = list(zip(gold, pred, strict=True))
    correct = sum(g == p for g, p in pairs)
    classes: list[ClassScore] = []
    for label in LABELS:
        tp = sum(g == label and p == label for g, p in pairs)
        predicted = sum(p == label for _, p in pairs)
        support = sum(g == label for g, _ in pairs)
        classes.append(ClassScore(
            label=label, support=support,
            precision=tp / predicted if predicted else None,
            recall=tp / support if support else None))
    return Agreement(n=n, accuracy=correct / n if n else 0.0, kappa=cohen_kappa(gold, pred),
                     classes=tuple(classes), errors=sum(p == "error" for p in pred),
                     confusion=dict(Counter(pairs)))
