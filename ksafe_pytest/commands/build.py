"""`ksafe build`: run the four-stage construction pipeline and write the benchmark JSONL."""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from ksafe_pytest.errors import ConfigError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=None,
                        help="output JSONL (default: the built-in file of the locale)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--locale", default="ko", choices=("ko", "ja"),
                        help="ko: KSAFE-MM (G and C); ja: the Japanese C pilot")
    parser.add_argument("--generator", default=None, metavar="MODEL",
                        help="optional: let a model (litellm name) rewrite the C base "
                             "queries and their benign twins (the jailbreak variants are "
                             "rebuilt from them); never required")
    parser.add_argument("--api-base", default=None,
                        help="OpenAI-compatible base URL for --generator")
    parser.add_argument("--generator-limit", type=int, default=None, metavar="N",
                        help="with --generator: rewrite at most N C pairs (base query and "
                             "benign twin)")


def run(args: argparse.Namespace) -> int:
    from ksafe_pytest.dataset.build import build_samples, write_jsonl
    from ksafe_pytest.dataset.loader import builtin_path

    if args.seed < 0:
        raise ConfigError(f"--seed must be >= 0, got {args.seed}")
    if args.generator_limit is not None and args.generator_limit < 0:
        raise ConfigError(f"--generator-limit must be >= 0, got {args.generator_limit}")
    started = time.perf_counter()
    samples = build_samples(seed=args.seed, locale=args.locale)
    if args.generator:
        from ksafe_pytest.dataset.build.generator import rewrite_with_model

        samples = rewrite_with_model(samples, model=args.generator, api_base=args.api_base,
                                     limit=args.generator_limit, seed=args.seed)
    out = args.out or builtin_path(args.locale)
    size = write_jsonl(samples, out)
    elapsed = time.perf_counter() - started
    parts = Counter((s.part, s.intent) for s in samples)
    print(f"wrote {len(samples)} samples to {out} ({size / 1e6:.1f} MB) in {elapsed:.2f} s")
    for (part, intent), n in sorted(parts.items()):
        print(f"  {part} {intent:<8}{n:>7}")
    return 0
