"""start_run: cache, preflight and resume as a run sees them, through real HTTP.

The resume test kills a real batch process with SIGKILL midway and starts it again: the
second run asks the server only for what the first had not stored.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from _engine_helpers import ExactJudge, make_request_for, samples

from ksafe_pytest.engine.cache import ResponseCache
from ksafe_pytest.engine.live import LiveSettings, start_run
from ksafe_pytest.engine.runner import RunSettings
from ksafe_pytest.errors import ModelSetupError
from ksafe_pytest.models import ClientSettings, resolve_client
from ksafe_pytest.serve import ServeOptions, serve_in_thread

HERE = Path(__file__).parent
RUN = """
import sys
sys.path.insert(0, {tests!r})
from _engine_helpers import ExactJudge, make_request_for, samples
from ksafe_pytest.engine.live import LiveSettings, start_run
from ksafe_pytest.engine.runner import RunSettings
from ksafe_pytest.models import ClientSettings, resolve_client

url, cache, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
client = resolve_client("ksafe/guarded", ClientSettings(api_base=url))
items = samples(n)
run = start_run(client, ExactJudge(), make_request_for(client.model, False), "render-test",
                items, LiveSettings(RunSettings(concurrency=4, timeout_s=10),
                                    cache_dir=cache, scope=url))
run.runner.submit(items)
for s in items:
    assert run.runner.result(s, timeout=60).response.ok
run.close()
print("done", flush=True)
"""


def run_in_process(url: str, cache: Path, n: int) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", RUN.format(tests=str(HERE)), url,
                             str(cache), str(n)], stdout=subprocess.PIPE, text=True)


def test_resume_after_kill_asks_only_for_what_is_missing(tmp_path: Path) -> None:
    n = 240
    with serve_in_thread(ServeOptions(latency_ms=20)) as (url, server):
        first = run_in_process(url, tmp_path, n)
        deadline = time.monotonic() + 60
        while server.stats.answered < 60 and time.monotonic() < deadline:
            time.sleep(0.01)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(10)
        assert first.returncode == -signal.SIGKILL
        time.sleep(0.3)  # let the server read whatever the dead process had already sent
        kept = ResponseCache(tmp_path, scope=url).stats().responses
        asked_before = server.stats.requests
        assert 0 < kept < n  # killed midway, with answers already on disk
        second = run_in_process(url, tmp_path, n)
        out, _ = second.communicate(timeout=120)
        assert second.returncode == 0 and "done" in out
        asked_again = server.stats.requests - asked_before
    # one preflight probe, then only the samples not stored yet: nothing asked twice
    assert asked_again == 1 + (n - kept)
    assert ResponseCache(tmp_path, scope=url).stats().responses == n


def test_fully_cached_rerun_needs_no_server_and_no_preflight(tmp_path: Path) -> None:
    items = samples(20)
    settings = RunSettings(concurrency=4, timeout_s=5)
    with serve_in_thread() as (url, server):
        client = resolve_client("ksafe/guarded", ClientSettings(api_base=url))
        run = start_run(client, ExactJudge(), make_request_for(client.model, False), "r",
                        items, LiveSettings(settings, cache_dir=tmp_path, scope=url))
        run.runner.submit(items)
        first = [run.runner.result(s, timeout=30) for s in items]
        run.close()
        assert run.preflight_done and server.stats.requests == 21  # probe + 20
    # the server is gone: a fully cached re-run must not notice
    client = resolve_client("ksafe/guarded", ClientSettings(api_base=url))
    run = start_run(client, ExactJudge(), make_request_for(client.model, False), "r", items,
                    LiveSettings(settings, cache_dir=tmp_path, scope=url))
    run.runner.submit(items)
    again = [run.runner.result(s, timeout=30) for s in items]
    counts = run.cache_counts()
    run.close()
    assert not run.preflight_done
    assert [r.response.text for r in again] == [r.response.text for r in first]
    assert all(r.response.cached for r in again)
    assert counts is not None and (counts.hits, counts.misses) == (20, 0)


def test_setup_errors_stop_before_the_batch(tmp_path: Path) -> None:
    with serve_in_thread() as (url, server):
        client = resolve_client("ksafe/no-such-model", ClientSettings(api_base=url))
        with pytest.raises(ModelSetupError, match="no-such-model"):
            start_run(client, ExactJudge(), make_request_for(client.model, False), "r",
                      samples(50), LiveSettings(cache_dir=tmp_path, scope=url))
        assert server.stats.requests == 1  # one probe, not fifty failures


def test_offline_reference_models_skip_cache_and_probe(tmp_path: Path) -> None:
    client = resolve_client("ksafe/guarded")
    items = samples(5)
    run = start_run(client, ExactJudge(), make_request_for(client.model, True), "r", items,
                    LiveSettings(cache_dir=tmp_path))
    results = [run.runner.result(s, timeout=30) for s in items]
    run.close()
    assert run.store is None and not run.preflight_done
    assert all(r.response.ok for r in results) and not any(tmp_path.iterdir())
