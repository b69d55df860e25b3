"""Whole offline run on the full built-in set against ksafe/guarded, next to the floor:
the same number of trivial parametrized pytest tests. Target: at most 1.5x the floor.

    python benchmarks/bench_offline_run.py [--repeat 3]

(The fully cached re-run through the HTTP transport is benchmarks/bench_cached_rerun.py.)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _measure import best_of, floor_and_run_folder

from ksafe_pytest.dataset import load_dataset

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    n = len(load_dataset())
    with floor_and_run_folder(n, args.repeat) as (floor_run, run_dir):
        run_argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                    "--ksafe-model=ksafe/guarded", "--ksafe-no-cache",
                    "--ksafe-thresholds", str(ROOT / "thresholds.yaml")]
        run = best_of(args.repeat, run_argv, str(run_dir))
    label = "offline run"
    print(f"samples: {n}")
    print(f"floor ({n} trivial tests): {floor_run.wall_s:7.2f} s  peak {floor_run.peak_rss_mb:6.0f} MB")
    print(f"{label} (ksafe/guarded):  {run.wall_s:7.2f} s  peak {run.peak_rss_mb:6.0f} MB"
          f"  exit {run.returncode}")
    print(f"ratio wall: {run.wall_s / floor_run.wall_s:.2f}x (target <= 1.5x)  "
          f"ratio memory: {run.peak_rss_mb / floor_run.peak_rss_mb:.2f}x")


if __name__ == "__main__":
    main()
