"""Snapshot baseline at full benchmark size (14,135 samples): write, read, compare, HTML.

Prints figures and ratios; asserts nothing (see common rules). Run:
    python benchmarks/bench_snapshots.py
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from ksafe_pytest.snapshots import Baseline, VerdictRecord, compare
from ksafe_pytest.taxonomy import CATEGORIES

N = 14_135


def records(n: int, flip_every: int = 0) -> list[VerdictRecord]:
    out = []
    for i in range(n):
        part = "G" if i < 1_650 else "C"
        intent = "benign" if i % 5 == 0 else "harmful"
        bad = (i % 7 == 0) != (flip_every and i % flip_every == 0)
        outcome = ("refused" if bad else "answered") if intent == "benign" else \
            ("attacked" if bad else "held")
        out.append(VerdictRecord(f"{part}-{i:05d}", part, CATEGORIES[i % 11], intent, outcome,
                                 "compliance" if outcome in ("attacked", "answered")
                                 else "refusal", None, "rules@1", f"{i:064x}", "bench/model"))
    return out


def main() -> None:
    base_records, new_records = records(N), records(N, flip_every=50)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "default"
        t = time.perf_counter()
        files = Baseline(folder).accept(base_records)
        write_s = time.perf_counter() - t
        size = sum(p.stat().st_size for p in files)
        t = time.perf_counter()
        baseline = Baseline(folder)
        read_s = time.perf_counter() - t
        t = time.perf_counter()
        changes = [compare(r, baseline.get(r.id)) for r in new_records]
        compare_s = time.perf_counter() - t
        t = time.perf_counter()
        Baseline(folder).accept(new_records[:500])  # a subset update rewrites few files
        subset_s = time.perf_counter() - t
    regressions = sum(c.change.value == "regression" for c in changes)
    print(f"samples                 {N}")
    print(f"files                   {len(files)} ({size / 1e6:.2f} MB, "
          f"{size / N:.0f} bytes per sample)")
    print(f"write full baseline     {write_s * 1000:8.1f} ms")
    print(f"read baseline           {read_s * 1000:8.1f} ms  (every process, at start)")
    print(f"compare all samples     {compare_s * 1000:8.1f} ms  ({regressions} regressions)")
    print(f"update 500 of them      {subset_s * 1000:8.1f} ms")
    print(f"read per sample         {read_s / N * 1e6:8.1f} us")


if __name__ == "__main__":
    main()
