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
    parser.add_argument("--check", action="store_true",
                        help="validate the hand-written sources (data/sources/g, c) and print "
                             "every problem; writes nothing; exits 1 when there is one")
    parser.add_argument("--only", action="append", default=[], metavar="NAME",
                        help="with --check: show only problems of files whose name contains "
                             "NAME (e.g. g/violence); repeatable")
    parser.add_argument("--sources", type=Path, default=None, metavar="DIR",
                        help="folder of the sources (default: the package's data/sources)")
    parser.add_argument("--generator-limit", type=int, default=None, metavar="N",
                        help="with --generator: rewrite at most N C pairs (base query and "
                             "benign twin)")


def check(root: Path | None, only: list[str]) -> int:
    """Print every problem of the sources (file, item, key, field, what is wrong); with
    `only`, just those of files whose name contains one of them (the checks still read every
    file: near-duplicates cross files)."""
    from ksafe_pytest.dataset.build.checks import run_checks
    from ksafe_pytest.dataset.build.checks_c import cross_modal_share
    from ksafe_pytest.dataset.build.sources import load_sources

    started = time.perf_counter()
    sources = load_sources(root)
    problems = [p for p in run_checks(sources) if not only or any(o in p.file for o in only)]
    for p in problems:
        print(p)
    per = Counter((part, i.category) for part, items in (("G", sources.g), ("C", sources.c))
                  for i in items)
    shares = cross_modal_share(sources)
    elapsed = time.perf_counter() - started
    errors = sum(p.severity == "error" for p in problems)
    print(f"{len(sources.files)} source files, {len(sources.g)} G and {len(sources.c)} C items "
          f"read in {elapsed:.2f} s; {len(problems)} problem(s): {errors} error(s) (the build "
          f"refuses them), {len(problems) - errors} to review"
          + (f" (only files matching {', '.join(only)})" if only else ""))
    for (part, category), n in sorted(per.items(), key=lambda kv: (kv[0][0] != "G", kv[0])):
        cross = ""
        if part == "C":
            k, total = shares[category]
            cross = f"   cross-modal {k}/{total} ({k / total:.0%})"
        print(f"  {part} {category:<36}{n:>5}{cross}")
    return 1 if problems else 0


def run(args: argparse.Namespace) -> int:
    from ksafe_pytest.dataset.build import build_samples, write_jsonl
    from ksafe_pytest.dataset.build.pipeline import checked_sources
    from ksafe_pytest.dataset.loader import builtin_path

    if args.check:
        return check(args.sources, args.only)
    if args.seed < 0:
        raise ConfigError(f"--seed must be >= 0, got {args.seed}")
    if args.generator_limit is not None and args.generator_limit < 0:
        raise ConfigError(f"--generator-limit must be >= 0, got {args.generator_limit}")
    started = time.perf_counter()
    sources = checked_sources(args.sources) if args.locale == "ko" else None
    if sources is not None:
        from ksafe_pytest.dataset.build.checks import run_checks

        review = sum(p.severity == "review" for p in run_checks(sources))
        if review:
            print(f"note: {review} source problem(s) to review: `ksafe build --check` lists "
                  f"them")
    samples = build_samples(seed=args.seed, locale=args.locale, sources=sources)
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
