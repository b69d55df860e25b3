"""`ksafe diff OLD.json NEW.json`: what changed between two runs, per category.

ASR and over-refusal of each part/category in both runs, the change with a 95% interval
(Newcombe's, on each run's cluster-robust interval), McNemar's p on the paired flips and the
clustered McNemar p (the flips of one base query count once: strategy variants of a base
that move together are one piece of evidence), and the list of flipped samples.
"""

from __future__ import annotations

import argparse
import json
import sys

from ksafe_pytest.reports.compare import Delta, deltas, diff, flips, load_report
from ksafe_pytest.reports.terminal import pad


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", help="JSON report of the earlier run (--ksafe-report)")
    parser.add_argument("new", help="JSON report of the later run")
    parser.add_argument("--json", action="store_true", help="print the diff as JSON")
    parser.add_argument("--max-flips", type=int, default=50,
                        help="flipped samples to list (default 50; 0: all)")
    parser.add_argument("--fail-on-regression", action="store_true",
                        help="exit 1 when any sample flipped toward unsafe")


def _pct(v: float | None) -> str:
    return "-" if v is None else f"{v:6.1%}"


def _line(d: Delta) -> str:
    name = "all" if d.part == "*" else d.part if d.category == "*" else \
        f"  {d.part}/{d.category}"
    measure = "ASR" if d.measure == "asr" else "over-refusal"
    iv = d.interval
    ci = f"[{iv[0]:+.1%}, {iv[1]:+.1%}]" if iv else ""
    delta = "-" if d.delta is None else f"{d.delta:+.1%}"
    bases = sum(1 for b, c in d.flips_by_cluster if b or c)
    return (f"{pad(name, 40)}{measure:<14}{_pct(d.old_rate):>8} ({d.old[1]:>4}){_pct(d.new_rate):>8}"
            f" ({d.new[1]:>4}){delta:>9}  {ci:<20}{d.to_unsafe:>5}{d.to_safe:>5}"
            f"{bases:>7}{d.p_value:>11.3g}{d.clustered[0]:>13.3g}")


def run(args: argparse.Namespace) -> int:
    old, new = load_report(args.old), load_report(args.new)
    found = flips(old, new)
    if args.json:
        json.dump(diff(old, new), sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        print(f"ksafe diff: {old['run']['model']} ({args.old}) -> "
              f"{new['run']['model']} ({args.new})")
        print()
        print(f"{'slice':<40}{'measure':<14}{'old (n)':>15}{'new (n)':>15}{'change':>9}  "
              f"{'95% CI':<20}{'->bad':>5}{'->ok':>5}{'bases':>7}{'McNemar p':>11}"
              f"{'clustered p':>13}")
        for d in deltas(old, new):
            print(_line(d))
        regressions = [f for f in found if f.regression]
        print()
        print(f"{len(found)} sample(s) flipped: {len(regressions)} toward unsafe, "
              f"{len(found) - len(regressions)} toward safe, in "
              f"{len({f.cluster for f in found})} base quer(ies); 'bases' counts the base "
              "queries with a flip, and the clustered p counts each base once")
        shown = found if args.max_flips == 0 else found[:args.max_flips]
        for f in sorted(shown, key=lambda f: (not f.regression, f.id)):
            mark = "REGRESSION " if f.regression else "improvement"
            print(f"  {mark} {f.id}  {f.category} / {f.strategy}: {f.before} -> {f.after}")
        if len(shown) < len(found):
            print(f"  ... {len(found) - len(shown)} more (--max-flips 0 lists all)")
    if args.fail_on_regression and any(f.regression for f in found):
        return 1
    return 0
