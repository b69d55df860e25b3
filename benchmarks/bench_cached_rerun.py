"""A fully cached re-run of the whole built-in benchmark against a live endpoint, next to
the floor (the same number of trivial pytest tests). Targets: at most 1.5x the floor's
wall time, peak memory under 500 MB.

The cache is warmed by one run against `ksafe serve`; the server is then stopped, so the
measured re-runs prove they need no network (any request would fail and be counted).

    python benchmarks/bench_cached_rerun.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import subprocess
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
        tmp = run_dir.parent
        server = subprocess.Popen([sys.executable, "-m", "ksafe_pytest.cli", "serve"],
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        report = Path(tmp, "report.json")
        run_argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                    "--ksafe-model=ksafe/guarded", f"--ksafe-api-base={url}",
                    "--ksafe-cache", str(Path(tmp, "cache")), "--ksafe-concurrency=64",
                    "--ksafe-no-snapshots", "--ksafe-thresholds", str(ROOT / "thresholds.yaml")]
        try:
            warm = best_of(1, run_argv, str(run_dir))
        finally:
            server.terminate()
            server.wait(10)
        run = best_of(args.repeat, run_argv, str(run_dir))  # the server is gone now
        # one more, untimed, with a JSON report: were all answers from the cache?
        with_report = best_of(1, [*run_argv, f"--ksafe-report={report}"], str(run_dir))
        rows = json.loads(report.read_text(encoding="utf-8"))["samples"]
    cached = sum(bool(r.get("cached")) for r in rows)
    errors = sum(bool(r.get("error")) for r in rows)
    print(f"samples: {n}; warm-up run against ksafe serve: {warm.wall_s:.2f} s")
    print(f"floor ({n} trivial tests): {floor_run.wall_s:7.2f} s  peak {floor_run.peak_rss_mb:6.0f} MB")
    print(f"cached re-run, no server:   {run.wall_s:7.2f} s  peak {run.peak_rss_mb:6.0f} MB"
          f"  exit {run.returncode}; {cached}/{len(rows)} answers from the cache, "
          f"{errors} errors")
    print(f"ratio wall: {run.wall_s / floor_run.wall_s:.2f}x (target <= 1.5x)  "
          f"peak memory {run.peak_rss_mb:.0f} MB (target < 500 MB); with --ksafe-report "
          f"{with_report.wall_s:.2f} s, peak {with_report.peak_rss_mb:.0f} MB")
    if cached != len(rows):
        print("NOT fully cached: is the response cache wired into the session (start_run)?")


if __name__ == "__main__":
    main()
