"""`ksafe cache stats|clear`: what the caches hold (answers, verdicts), and emptying them."""

from __future__ import annotations

import argparse
import os
import shutil
from contextlib import closing
from pathlib import Path

from ksafe_pytest.engine.cache import DEFAULT_DIR, FILENAME, IMAGES, ResponseCache
from ksafe_pytest.errors import ConfigError
from ksafe_pytest.judges.cache import FILENAME as VERDICTS
from ksafe_pytest.judges.cache import JudgeCache


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("stats", "clear"),
                        help="stats, or clear (answers, verdicts and rendered images)")
    parser.add_argument("--dir", default=None,
                        help="cache directory (default: $KSAFE_CACHE or .ksafe_cache)")
    parser.add_argument("--model", default=None,
                        help="clear only this model's answers (verdicts and images stay)")


def run(args: argparse.Namespace) -> int:
    if args.model and args.action != "clear":
        raise ConfigError("--model applies to `ksafe cache clear` only")
    directory = Path(args.dir or os.environ.get("KSAFE_CACHE") or DEFAULT_DIR)
    answers, verdicts = directory / FILENAME, directory / VERDICTS
    if not answers.exists() and not verdicts.exists():
        print(f"no cache at {directory}" + (": nothing to clear" if args.action == "clear"
                                             else ""))
        return 0
    if args.action == "clear":
        return _clear(directory, args.model)
    if answers.exists():
        with closing(ResponseCache(directory)) as cache:
            stats = cache.stats()
        print(f"{stats.path}: {stats.responses} cached answer(s), "
              f"{_size(stats.file_bytes)} on disk")
        _table([(m.model, m.responses, _size(m.bytes)) for m in stats.models])
    if verdicts.exists():
        with closing(JudgeCache(directory)) as judged:
            counts = judged.by_judge()
        print(f"{judged.path}: {sum(n for _, n in counts)} cached verdict(s), "
              f"{_size(verdicts.stat().st_size)} on disk")
        _table([(judge, n, "") for judge, n in counts])
    return 0


def _clear(directory: Path, model: str | None) -> int:
    if (directory / FILENAME).exists():
        with closing(ResponseCache(directory)) as cache:
            n = cache.clear(model)
        print(f"deleted {n} cached answer(s){f' of {model}' if model else ''} "
              f"from {cache.path}")
    if model is None and (directory / VERDICTS).exists():
        with closing(JudgeCache(directory)) as judged:
            print(f"deleted {judged.clear()} cached verdict(s) from {judged.path}")
    if model is None and (directory / IMAGES).is_dir():
        shutil.rmtree(directory / IMAGES, ignore_errors=True)  # drawn again when needed
    return 0


def _table(rows: list[tuple[str, int, str]]) -> None:
    if rows:
        width = max(len(name) for name, _, _ in rows)
        for name, n, size in rows:
            print(f"  {name:<{width}}  {n:>8}  {size:>9}".rstrip())


def _size(n: int) -> str:
    value = float(n)
    for unit in ("B", "KB", "MB"):
        if value < 1024:
            return f"{n} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"
