"""`pytest --ksafe-model=ksafe/guarded` through real HTTP against `ksafe serve` gives the
offline verdicts on the built-in set, with and without injected faults."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from ksafe_pytest.serve import ServeOptions, serve_in_thread

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(
    [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}


def run(tmp: Path, name: str, *extra: str) -> dict[str, tuple[str, str]]:
    report = tmp / f"{name}.json"
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q",
         "--ksafe-model=ksafe/guarded", "--ksafe-limit=40", "--ksafe-no-snapshots",
         "--ksafe-no-cache", f"--ksafe-report={report}", *extra],
        cwd=tmp, env=ENV, capture_output=True, text=True, timeout=300)
    assert proc.returncode in (0, 1), proc.stdout[-3000:] + proc.stderr[-3000:]
    rows = json.loads(report.read_text(encoding="utf-8"))["samples"]
    return {r["id"]: (r["answer"], r["verdict"]["label"]) for r in rows}


def test_http_run_equals_offline_run_even_with_faults(tmp_path: Path) -> None:
    offline = run(tmp_path, "offline")
    with serve_in_thread() as (url, server):
        clean = run(tmp_path, "clean", f"--ksafe-api-base={url}")
        assert server.stats.images_read >= len(offline) // 2  # images were really read
    faults = ServeOptions(fault_rate=0.25, seed=3, retry_after_s=0.05, stall_s=3.0)
    with serve_in_thread(faults) as (url, server):
        faulty = run(tmp_path, "faulty", f"--ksafe-api-base={url}", "--ksafe-timeout=1",
                     "--ksafe-retries=8")
        assert sum(server.stats.faults.values()) > 0
    assert len(offline) >= 30
    assert clean == offline
    assert faulty == offline
    assert {label for _, label in offline.values()} > {"refusal"}  # a real mix of verdicts
