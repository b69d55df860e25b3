"""Load samples: the built-in benchmark (JSONL in the package) or a user's dataset."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ksafe_pytest.dataset.schema import parse_sample
from ksafe_pytest.errors import DatasetError
from ksafe_pytest.records import Sample
from ksafe_pytest.untrusted import UntrustedFileError, jsonl_lines

BUILTIN = "builtin"


def builtin_path(locale: str = "ko") -> Path:
    name = "ksafe_mm.jsonl" if locale == "ko" else f"ksafe_mm.{locale}.jsonl"
    return Path(str(resources.files("ksafe_pytest") / "data" / name))


def load_jsonl(path: str | Path, *, source: str = "") -> list[Sample]:
    """Every row validated; the first bad row stops the load with file, line and field."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError as exc:
        raise DatasetError(f"cannot read dataset: {exc.strerror}", path=str(path)) from None
    # Parsed once per process and file version: the plugin and the reference model both
    # read the built-in set, and 17k rows take a few hundred milliseconds.
    return list(_load_jsonl(str(path), stat.st_size, stat.st_mtime_ns, source))


@lru_cache(maxsize=4)
def _load_jsonl(name: str, _size: int, _mtime_ns: int, source: str) -> tuple[Sample, ...]:
    path = Path(name)
    samples: list[Sample] = []
    seen: dict[str, int] = {}
    image_root = path.parent
    try:
        for line_no, line in jsonl_lines(path):
            if not line.strip():
                continue
            row = _json_row(line, str(path), line_no)
            sample = parse_sample(row, path=str(path), line=line_no,
                                  source=source or path.name)
            if sample.id in seen:
                raise DatasetError(f"duplicate id {sample.id!r} (first on line {seen[sample.id]})",
                                   path=str(path), line=line_no, field="id")
            seen[sample.id] = line_no
            samples.append(_checked_image(sample, image_root, str(path), line_no))
    except OSError as exc:
        raise DatasetError(f"cannot read dataset: {exc.strerror}", path=str(path)) from None
    except UntrustedFileError as exc:
        raise DatasetError(str(exc), path=str(path), line=exc.line) from None
    if not samples:
        raise DatasetError("dataset has no samples", path=str(path))
    return tuple(samples)


def _json_row(line: str, path: str, line_no: int) -> object:
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise DatasetError(f"invalid JSON: {exc.msg} (column {exc.colno})",
                           path=path, line=line_no) from None
    except RecursionError:
        raise DatasetError("JSON nested too deeply", path=path, line=line_no) from None


def _checked_image(sample: Sample, root: Path, path: str, line: int) -> Sample:
    """The sample once its image is known to be usable: a spec of a known kind, or a
    readable image file (its path made relative to the dataset file). A bad one is named
    now, not per sample mid-run: the offline models never draw or open it at all."""
    from dataclasses import replace

    from ksafe_pytest.dataset.images import image_file_problem, image_kinds

    if not sample.image.file:
        kinds = image_kinds()
        if sample.image.kind not in kinds:
            raise DatasetError(f"unknown image kind {sample.image.kind!r}; known: "
                               f"{', '.join(sorted(kinds))}", path=path, line=line,
                               field="image.kind")
        return sample
    if not Path(sample.image.file).is_absolute():
        sample = replace(sample, image=replace(sample.image,
                                               file=str(root / sample.image.file)))
    problem = image_file_problem(sample.image.file)
    if problem:
        raise DatasetError(problem, path=path, line=line, field="image")
    return sample


def load_dataset(spec: str | None = None, *, locale: str = "ko") -> list[Sample]:
    """`None`/"builtin": the shipped benchmark; a .jsonl file; a .parquet official release."""
    if not spec or spec == BUILTIN:
        path = builtin_path(locale)
        if not path.exists():
            raise DatasetError(f"built-in dataset for locale {locale!r} is not shipped; "
                               "run `ksafe build` to generate it", path=str(path))
        return load_jsonl(path, source=BUILTIN)
    path = Path(spec)
    if not path.exists():
        raise DatasetError("no such dataset file or folder", path=spec)
    if path.is_dir():
        candidates = sorted(path.glob("*.jsonl"))
        if len(candidates) != 1:
            raise DatasetError("a dataset folder must hold exactly one .jsonl file "
                               f"(found {len(candidates)})", path=spec)
        return load_jsonl(candidates[0])
    if path.suffix == ".jsonl":
        return load_jsonl(path)
    if path.suffix == ".parquet":
        from ksafe_pytest.dataset.parquet import load_parquet

        return load_parquet(path)
    raise DatasetError("unsupported dataset type; expected .jsonl, .parquet or a folder",
                       path=spec)
