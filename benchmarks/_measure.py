"""Run a command in a child process; report its wall time and peak memory (RSS)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Measured:
    wall_s: float
    peak_rss_mb: float
    returncode: int
    tail: str


def measure(argv: list[str], cwd: str, env: dict[str, str] | None = None) -> Measured:
    """Each measurement runs in a fresh grandchild so ru_maxrss belongs to it alone."""
    probe = (
        "import resource, subprocess, sys, time, json\n"
        "t = time.perf_counter()\n"
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "wall = time.perf_counter() - t\n"
        "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print(json.dumps({'wall': wall, 'rss': rss, 'rc': p.returncode,"
        " 'tail': (p.stdout + p.stderr)[-400:]}))\n"
    )
    import json

    out = subprocess.run([sys.executable, "-c", probe, *argv], cwd=cwd, capture_output=True,
                         text=True, env={**os.environ, **(env or {})}, check=True)
    data = json.loads(out.stdout.strip().splitlines()[-1])
    return Measured(data["wall"], data["rss"], data["rc"], data["tail"])


def best_of(n: int, argv: list[str], cwd: str, env: dict[str, str] | None = None) -> Measured:
    runs = [measure(argv, cwd, env) for _ in range(n)]
    return min(runs, key=lambda m: m.wall_s)




TRIVIAL = """
import pytest

@pytest.mark.parametrize("i", range({n}))
def test_trivial(i):
    assert i >= 0
"""


@contextmanager
def floor_and_run_folder(n: int, repeat: int) -> Iterator[tuple[Measured, Path]]:
    """The floor for `n` tests, and an empty folder for the measured run: apart from the
    floor's test file, or pytest there collects both (three benchmarks once did)."""
    with tempfile.TemporaryDirectory() as tmp:
        measured = floor(n, repeat, Path(tmp, "floor"))
        run_dir = Path(tmp, "run")
        run_dir.mkdir()
        yield measured, run_dir


def floor(n: int, repeat: int, folder: Path) -> Measured:
    """The floor: `n` trivial parametrized tests, run alone in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "test_floor.py").write_text(TRIVIAL.format(n=n), encoding="utf-8")
    return best_of(repeat, [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                            "test_floor.py"], str(folder))
