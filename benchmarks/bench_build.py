"""Construction pipeline figures: build time, per-image render time, data shipped, load
time, and collection time of the whole benchmark next to as many trivial tests.

Run: python benchmarks/bench_build.py [--images N] [--no-collect]
Prints figures and ratios; asserts nothing (targets: render <= ~10 ms/image, data shipped
< 20 MB, collection <= 1.5x trivial parametrized tests).
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ksafe_pytest.dataset import builtin_path, load_dataset  # noqa: E402
from ksafe_pytest.dataset.build import build_samples, dumps  # noqa: E402
from ksafe_pytest.dataset.images import render_png  # noqa: E402
from ksafe_pytest.dataset.loader import _load_jsonl  # noqa: E402


def best_of(n: int, fn: object) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def bench_build() -> None:
    for locale in ("ko", "ja"):
        seconds = best_of(3, lambda loc=locale: dumps(build_samples(locale=loc)))
        n = len(build_samples(locale=locale))
        print(f"build {locale}: {n} samples in {seconds:.3f} s "
              f"({seconds / n * 1e6:.1f} us/sample)")


def bench_images(count: int) -> None:
    samples = build_samples(locale="ko") + build_samples(locale="ja")
    by_kind: dict[str, list[object]] = defaultdict(list)
    seen: set[str] = set()
    for s in samples:
        key = s.image.key
        if key not in seen and len(by_kind[s.image.kind]) < count:
            seen.add(key)
            by_kind[s.image.kind].append(s.image)
    render_png(samples[0].image)  # warm fonts and plugins
    print(f"render (PNG, compress_level=1), {count} distinct specs per kind:")
    every: list[float] = []
    for kind, specs in sorted(by_kind.items()):
        times, sizes = [], []
        for spec in specs:
            start = time.perf_counter()
            png = render_png(spec)  # type: ignore[arg-type]
            times.append((time.perf_counter() - start) * 1000)
            sizes.append(len(png))
        every += times
        p95 = sorted(times)[int(0.95 * (len(times) - 1))]
        print(f"  {kind:<12} mean {statistics.mean(times):5.1f} ms  p95 {p95:5.1f} ms  "
              f"{statistics.mean(sizes) / 1024:5.1f} KiB")
    print(f"  all kinds    mean {statistics.mean(every):5.1f} ms  (target <= ~10 ms)")


def bench_data() -> None:
    total = 0
    for locale in ("ko", "ja"):
        path = builtin_path(locale)
        raw = path.read_bytes()
        total += len(raw)
        print(f"data {path.name}: {len(raw) / 1e6:.2f} MB raw, "
              f"{len(gzip.compress(raw, 6)) / 1e6:.2f} MB compressed (wheel is zip-deflated)")
        seconds = best_of(3, lambda loc=locale: (_load_jsonl.cache_clear(),  # a cold parse
                                                 load_dataset(locale=loc)))
        print(f"load {locale}: {seconds * 1000:.0f} ms (parsed and validated)")
    print(f"data shipped: {total / 1e6:.2f} MB raw (target < 20 MB; images are rendered, "
          "not shipped)")


def bench_collect() -> None:
    """`pytest --collect-only` of the benchmark vs the same number of trivial tests."""
    n = len(load_dataset(locale="ko"))
    with tempfile.TemporaryDirectory() as tmp:
        trivial = Path(tmp) / "test_trivial.py"
        trivial.write_text("import pytest\n\n"
                           f"@pytest.mark.parametrize('i', range({n}))\n"
                           "def test_x(i):\n    pass\n")
        base = [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"]

        def run(args: list[str], cwd: str) -> float:
            start = time.perf_counter()
            proc = subprocess.run(base + args, cwd=cwd, capture_output=True, text=True)
            if proc.returncode not in (0, 5) and " collected" not in proc.stdout:
                raise RuntimeError(proc.stdout[-800:] + proc.stderr[-800:])
            return time.perf_counter() - start

        t_trivial = min(run([str(trivial)], tmp) for _ in range(2))
        alone = Path(tmp) / "ksafe"  # apart from the trivial file, or it collects both
        alone.mkdir()
        try:
            t_ksafe = min(run(["--ksafe-model=ksafe/refuse-all"], str(alone))
                          for _ in range(2))
        except RuntimeError as exc:
            print(f"collect: plugin run failed, skipped ({str(exc)[-200:]})")
            return
    print(f"collect {n} trivial parametrized tests: {t_trivial:.2f} s")
    print(f"collect {n} KSAFE-MM samples (--ksafe-model=ksafe/refuse-all): {t_ksafe:.2f} s "
          f"-> ratio {t_ksafe / t_trivial:.2f}x (target <= 1.5x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--images", type=int, default=60, help="specs rendered per kind")
    parser.add_argument("--no-collect", action="store_true", help="skip the pytest runs")
    args = parser.parse_args()
    bench_build()
    bench_images(args.images)
    bench_data()
    if not args.no_collect:
        bench_collect()


if __name__ == "__main__":
    main()
