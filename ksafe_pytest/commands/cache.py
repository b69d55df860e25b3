"""`ksafe cache stats|clear`: what the response cache holds, and emptying it."""

from __future__ import annotations

import argparse
import os

from ksafe_pytest.errors import ConfigError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("stats", "clear"), help="stats or clear")
    parser.add_argument("--dir", default=None,
                        help="cache directory (default: $KSAFE_CACHE or .ksafe_cache)")
    parser.add_argument("--model", default=None, help="clear only this model's answers")


def run(args: argparse.Namespace) -> int:
    from ksafe_pytest.engine.cache import DEFAULT_DIR, FILENAME, ResponseCache

    if args.model and args.action != "clear":
        raise ConfigError("--model applies to `ksafe cache clear` only")
    directory = args.dir or os.environ.get("KSAFE_CACHE") or DEFAULT_DIR
    if not os.path.exists(os.path.join(directory, FILENAME)):
        print(f"no response cache at {directory}"
              + (": nothing to clear" if args.action == "clear" else ""))
        return 0
    cache = ResponseCache(directory)
    try:
        if args.action == "clear":
            n = cache.clear(args.model)
            which = f" of {args.model}" if args.model else ""
            print(f"deleted {n} cached answer(s){which} from {cache.path}")
            return 0
        stats = cache.stats()
    finally:
        cache.close()
    print(f"{stats.path}: {stats.responses} cached answer(s), {_size(stats.file_bytes)} on disk")
    if stats.models:
        width = max(len(m.model) for m in stats.models)
        for m in stats.models:
            print(f"  {m.model:<{width}}  {m.responses:>8}  {_size(m.bytes):>9}")
    return 0


def _size(n: int) -> str:
    value = float(n)
    for unit in ("B", "KB", "MB"):
        if value < 1024:
            return f"{n} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"
