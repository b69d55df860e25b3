"""Load the official KSAFE-MM release (parquet, images embedded) into Samples.

Column names of the release are configurable: `mapping` maps our field to a column name,
or to `=value` for a constant (e.g. `{"part": "=C"}`); from the command line or CI, set
KSAFE_PARQUET_COLUMNS="text=question,image=img,part==C". Without a mapping, common names are
tried (`text`/`query`/`question`, `image`/`img`, ...). Each embedded image is checked once
(decodes, under the size limits), written as PNG into a cache folder named by its content
hash, and referenced as `ImageSpec(kind="file")`, so a reload does not decode it again.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ksafe_pytest.dataset.images import MAX_IMAGE_BYTES, to_png
from ksafe_pytest.dataset.schema import parse_sample
from ksafe_pytest.errors import DatasetError
from ksafe_pytest.fileio import write_atomic
from ksafe_pytest.records import Sample, sha256_hex
from ksafe_pytest.taxonomy import CATEGORIES, STANDARD, STRATEGIES, resolve

# our field -> column names tried in order when no mapping names it
CANDIDATES: dict[str, tuple[str, ...]] = {
    "id": ("id", "sample_id", "uid", "idx"),
    "text": ("text", "query", "question", "prompt", "instruction"),
    "image": ("image", "img", "image_bytes"),
    "category": ("category", "risk_category", "risk", "subcategory"),
    "part": ("part", "subset", "split_name", "dataset"),
    "strategy": ("strategy", "jailbreak", "attack", "method", "jailbreak_type"),
    "topic": ("topic", "theme"),
    "intent": ("intent",),
    "locale": ("locale", "language", "lang"),
    "pair_id": ("pair_id", "base_id"),
}
REQUIRED = ("text", "image", "category")
_NO_STRATEGY = {"", "none", "standard", "base", "plain", "vanilla", "null"}


MAPPING_ENV = "KSAFE_PARQUET_COLUMNS"


def parse_mapping(text: str) -> dict[str, str]:
    """`"text=question,image=img,part==C"` -> `{"text": "question", "image": "img",
    "part": "=C"}`: the form of an option or of $KSAFE_PARQUET_COLUMNS."""
    mapping: dict[str, str] = {}
    for item in filter(None, (p.strip() for p in text.split(","))):
        field_name, sep, column = item.partition("=")
        if not sep or not field_name.strip() or not column.strip():
            raise DatasetError(f"bad column mapping {item!r}; expected FIELD=COLUMN or "
                               "FIELD==CONSTANT, comma-separated", field=MAPPING_ENV)
        mapping[field_name.strip()] = column.strip()
    return mapping


def image_dir() -> Path:
    """Where extracted images live: $KSAFE_IMAGE_DIR or ~/.cache/ksafe-pytest/images."""
    env = os.environ.get("KSAFE_IMAGE_DIR")
    if env:
        return Path(env)
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "ksafe-pytest" / "images"


def _columns(path: Path, available: list[str], mapping: Mapping[str, str] | None
             ) -> dict[str, str]:
    """Resolve each field to a column (or an `=constant`); one clear error when not."""
    known = set(CANDIDATES)
    chosen: dict[str, str] = {}
    for field_name, column in (mapping or {}).items():
        if field_name not in known:
            raise DatasetError(f"unknown field {field_name!r} in the column mapping; fields: "
                               f"{', '.join(sorted(known))}", path=str(path))
        if not column.startswith("=") and column not in available:
            raise DatasetError(f"column {column!r} (mapped to {field_name!r}) is not in the "
                               f"file; columns: {', '.join(available)}", path=str(path))
        chosen[field_name] = column
    for field_name, names in CANDIDATES.items():
        if field_name not in chosen:
            hit = next((c for c in names if c in available), None)
            if hit:
                chosen[field_name] = hit
    missing = [f for f in REQUIRED if f not in chosen]
    if missing:
        raise DatasetError(
            f"no column for {', '.join(missing)}; columns: {', '.join(available)}; pass a "
            "mapping such as {" + ", ".join(f"'{m}': 'COLUMN'" for m in missing) + "}",
            path=str(path))
    return chosen


def _image_bytes(value: Any, where: dict[str, Any]) -> bytes:
    """The Hugging Face Image feature is a struct {bytes, path}; plain binary works too."""
    if isinstance(value, Mapping):
        value = value.get("bytes")
    if isinstance(value, (bytes, bytearray, memoryview)):
        data = bytes(value)
        if not data:
            raise DatasetError("empty image", field="image", **where)
        if len(data) > MAX_IMAGE_BYTES:
            raise DatasetError(f"image is {len(data)} bytes, over the {MAX_IMAGE_BYTES} "
                               "limit", field="image", **where)
        return data
    raise DatasetError(f"expected embedded image bytes, got {type(value).__name__}",
                       field="image", **where)


def _store(data: bytes, folder: Path, where: dict[str, Any]) -> Path:
    """Write the image once, named by content hash; validate only when new."""
    target = folder / f"{sha256_hex(data)}.png"
    if target.exists():
        return target
    png = to_png(data, f"{where['path']}:{where['line']} field 'image'")
    write_atomic(target, png)
    return target


def _normalize(field_name: str, value: Any, where: dict[str, Any]) -> Any:
    if value is None:
        return None
    text = str(value).strip()
    try:
        if field_name == "category":
            return resolve("category", text, CATEGORIES)
        if field_name == "strategy":
            return STANDARD if text.lower() in _NO_STRATEGY else resolve(
                "strategy", text, STRATEGIES)
    except ValueError as exc:
        raise DatasetError(str(exc), field=field_name, **where) from None
    if field_name == "part":
        upper = text.upper()
        return upper[-1] if upper.endswith(("G", "C")) else text
    if field_name == "locale":
        return {"korean": "ko", "kor": "ko", "japanese": "ja", "jpn": "ja"}.get(
            text.lower(), text.lower())
    return text


def _rows(path: Path, columns: list[str]) -> Iterator[dict[str, Any]]:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise DatasetError("reading parquet needs pyarrow: pip install 'ksafe-pytest[parquet]'",
                           path=str(path)) from None
    try:
        handle = pq.ParquetFile(path)
        for batch in handle.iter_batches(columns=columns, batch_size=256):
            yield from batch.to_pylist()
    except (OSError, ValueError) as exc:  # ArrowInvalid is a ValueError
        raise DatasetError(f"not a readable parquet file ({exc})", path=str(path)) from None


def _schema_columns(path: Path) -> list[str]:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise DatasetError("reading parquet needs pyarrow: pip install 'ksafe-pytest[parquet]'",
                           path=str(path)) from None
    try:
        return list(pq.read_schema(path).names)
    except (OSError, ValueError) as exc:
        raise DatasetError(f"not a readable parquet file ({exc})", path=str(path)) from None


def load_parquet(path: Path, mapping: dict[str, str] | None = None, *,
                 images: Path | None = None) -> list[Sample]:
    """Samples from a parquet file; images extracted to `images` (default `image_dir()`).
    Without `mapping`, $KSAFE_PARQUET_COLUMNS (see `parse_mapping`) is used if set."""
    path = Path(path)
    if mapping is None:
        mapping = parse_mapping(os.environ.get(MAPPING_ENV, ""))
    if not path.is_file():
        raise DatasetError("no such parquet file", path=str(path))
    chosen = _columns(path, _schema_columns(path), mapping)
    read = sorted({c for c in chosen.values() if not c.startswith("=")})
    folder = images or image_dir()
    samples: list[Sample] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(_rows(path, read), start=1):
        where: dict[str, Any] = {"path": str(path), "line": index}
        values = {f: (c[1:] if c.startswith("=") else raw.get(c)) for f, c in chosen.items()}
        row: dict[str, Any] = {}
        for field_name, value in values.items():
            if field_name != "image":
                norm = _normalize(field_name, value, where)
                if norm not in (None, ""):
                    row[field_name] = norm
        row.setdefault("strategy", STANDARD)
        row.setdefault("intent", "harmful")
        row.setdefault("part", "C" if row["strategy"] != STANDARD else "G")
        row.setdefault("id", f"{row['part']}-{path.stem}-{index:05d}-{row['strategy']}")
        row["image"] = str(_store(_image_bytes(values["image"], where), folder, where))
        sample = parse_sample(row, path=str(path), line=index, source=path.name)
        if sample.id in seen:
            raise DatasetError(f"duplicate id {sample.id!r} (first in row {seen[sample.id]})",
                               field="id", **where)
        seen[sample.id] = index
        samples.append(sample)
    if not samples:
        raise DatasetError("parquet file has no rows", path=str(path))
    return samples
