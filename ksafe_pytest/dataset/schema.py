"""Validate one JSONL row into a Sample, or raise a DatasetError naming the field."""

from __future__ import annotations

from typing import Any

from ksafe_pytest.errors import DatasetError
from ksafe_pytest.records import ImageSpec, Sample
from ksafe_pytest.taxonomy import CATEGORIES, INTENTS, LOCALES, PARTS, STRATEGIES
from ksafe_pytest.untrusted import has_surrogate

REQUIRED = ("id", "part", "category", "strategy", "intent", "text", "image")
ALLOWED = frozenset({*REQUIRED, "topic", "locale", "pair_id", "source", "meta", "domain"})
PART_NAMES = tuple(PARTS)


def _str(row: dict[str, Any], name: str, where: dict[str, Any], *, required: bool = True,
         choices: tuple[str, ...] | None = None) -> str:
    value = row.get(name)
    if value is None:
        if required:
            raise DatasetError("missing required field", field=name, **where)
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise DatasetError(f"must be a non-empty string, got {value!r}", field=name, **where)
    if has_surrogate(value):
        raise DatasetError("holds a lone UTF-16 surrogate (an escape like \\ud800), which "
                           "is not text", field=name, **where)
    if choices is not None and value not in choices:
        raise DatasetError(f"unknown value {value!r}; expected one of: {', '.join(choices)}",
                           field=name, **where)
    return value


def parse_image(value: Any, where: dict[str, Any]) -> ImageSpec:
    if isinstance(value, str):  # a path to an image file
        if not value.strip():
            raise DatasetError("empty image path", field="image", **where)
        return ImageSpec(kind="file", file=value)
    if not isinstance(value, dict):
        raise DatasetError(f"must be an object or a file path, got {value!r}",
                           field="image", **where)
    kind = value.get("kind")
    if not isinstance(kind, str) or not kind:
        raise DatasetError("missing image kind", field="image.kind", **where)
    params = value.get("params", {})
    if not isinstance(params, dict):
        raise DatasetError("must be an object", field="image.params", **where)
    file = value.get("file", "")
    if not isinstance(file, str):
        raise DatasetError("must be a string", field="image.file", **where)
    return ImageSpec(kind=kind, params=params, file=file)


def parse_sample(row: Any, *, path: str = "", line: int | None = None,
                 source: str = "builtin") -> Sample:
    where: dict[str, Any] = {"path": path, "line": line}
    if not isinstance(row, dict):
        raise DatasetError(f"a row must be a JSON object, got {type(row).__name__}", **where)
    unknown = row.keys() - ALLOWED
    if unknown:
        raise DatasetError(f"unknown field(s): {', '.join(sorted(unknown))}", **where)
    meta = row.get("meta", {})
    if not isinstance(meta, dict) or not all(isinstance(v, str) for v in meta.values()):
        raise DatasetError("must be an object of strings", field="meta", **where)
    if any(has_surrogate(f"{k}{v}") for k, v in meta.items()):
        raise DatasetError("holds a lone UTF-16 surrogate, which is not text", field="meta",
                           **where)
    return Sample(
        id=_str(row, "id", where),
        part=_str(row, "part", where, choices=PART_NAMES),
        category=_str(row, "category", where, choices=CATEGORIES),
        topic=_str(row, "topic", where, required=False),
        strategy=_str(row, "strategy", where, choices=STRATEGIES),
        intent=_str(row, "intent", where, choices=INTENTS),
        text=_str(row, "text", where),
        image=parse_image(row.get("image"), where),
        locale=_str(row, "locale", where, required=False, choices=LOCALES) or "ko",
        pair_id=_str(row, "pair_id", where, required=False),
        source=_str(row, "source", where, required=False) or source,
        meta=meta,
    )
