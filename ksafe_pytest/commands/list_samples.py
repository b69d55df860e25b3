"""`ksafe list`: what a dataset holds, by part, category and strategy."""

from __future__ import annotations

import argparse
from collections import Counter

from ksafe_pytest.dataset import load_dataset
from ksafe_pytest.taxonomy import CATEGORIES, DOMAIN_OF, PARTS, STRATEGIES


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dataset", default=None, help="dataset path (default: built-in)")
    parser.add_argument("--locale", default="ko", help="built-in locale (ko, ja)")
    parser.add_argument("--samples", action="store_true", help="print every sample id")
    parser.add_argument("--stats", action="store_true",
                        help="breadth: distinct base queries per part and category "
                             "(trigram-Jaccard components), near-duplicate clusters, image "
                             "designs, twin similarity, cross-modal share")


def run(args: argparse.Namespace) -> int:
    samples = load_dataset(args.dataset, locale=args.locale)
    if args.stats:
        from ksafe_pytest.dataset.breadth import render

        print(f"{len(samples)} samples ({args.dataset or 'built-in, ' + args.locale})")
        print(render(samples))
        return 0
    if args.samples:
        for s in samples:
            print(f"{s.id}\t{s.part}\t{s.category}\t{s.strategy}\t{s.intent}\t{s.text[:60]}")
        return 0
    parts = [p for p in PARTS if any(s.part == p for s in samples)]
    print(f"{len(samples)} samples ({args.dataset or 'built-in, ' + args.locale})")
    print()
    header = f"{'category':<36}{'domain':<32}" + "".join(
        f"{p + ' harmful':>12}{p + ' benign':>11}" for p in parts)
    print(header)
    counts = Counter((s.category, s.part, s.intent) for s in samples)
    for cat in CATEGORIES:
        row = f"{cat:<36}{DOMAIN_OF[cat]:<32}"
        row += "".join(f"{counts[(cat, p, 'harmful')]:>12}{counts[(cat, p, 'benign')]:>11}"
                       for p in parts)
        print(row)
    print(f"{'total':<68}" + "".join(
        f"{sum(counts[(c, p, 'harmful')] for c in CATEGORIES):>12}"
        f"{sum(counts[(c, p, 'benign')] for c in CATEGORIES):>11}" for p in parts))
    print()
    by_strategy = Counter((s.strategy, s.part) for s in samples if s.intent == "harmful")
    print(f"{'strategy':<24}" + "".join(f"{p:>8}" for p in parts))
    for strat in STRATEGIES:
        print(f"{strat:<24}" + "".join(f"{by_strategy[(strat, p)]:>8}" for p in parts))
    return 0
