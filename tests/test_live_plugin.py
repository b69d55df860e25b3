"""A real `pytest --ksafe-model` run against `ksafe serve`: resume after kill -9, the
response cache under xdist, Ctrl-C, and a setup error that stops the run with one message."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_judge_llm import OK_BENIGN, OK_HARM, fake_judge_in_thread

from conftest import mini_rows, write_jsonl
from ksafe_pytest.engine.cache import ResponseCache
from ksafe_pytest.serve import ServeOptions, serve_in_thread


def distinct(rows: list[dict]) -> list[dict]:
    """Every text distinct, so one sample is one cache key (twins would share an answer)."""
    return [{**row, "text": f"{row['text']} ({row['id']})"} for row in rows]


ROWS = distinct(mini_rows())
N = len(ROWS)
SMALL = distinct(mini_rows(1))  # for the xdist runs: one sample per category and part
ROOT = Path(__file__).resolve().parents[1]
# the subprocess runs this checkout's plugin, whatever is installed
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(
    [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}


def argv(dataset: Path, url: str, cache: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q",
            f"--ksafe-dataset={dataset}", "--ksafe-model=ksafe/guarded",
            f"--ksafe-api-base={url}", f"--ksafe-cache={cache}", "--ksafe-no-snapshots",
            "--ksafe-timeout=10", *extra]


def pytest_in(cwd: Path, args: list[str], env: dict[str, str] = ENV,
              timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """A whole pytest run in its own process, output captured."""
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)


def answers(report: Path) -> dict[str, str]:
    data = json.loads(report.read_text(encoding="utf-8"))
    return {row["id"]: row["answer"] for row in data["samples"]}


def test_a_killed_run_resumes_without_asking_again(tmp_path: Path) -> None:
    dataset = write_jsonl(tmp_path / "mini.jsonl", ROWS)
    cache = tmp_path / "cache"
    with serve_in_thread(ServeOptions(latency_ms=40)) as (url, server):
        first = subprocess.Popen(argv(dataset, url, cache, "--ksafe-concurrency=2"),
                                 cwd=tmp_path, env=ENV, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while server.stats.answered < 30 and time.monotonic() < deadline:
            time.sleep(0.01)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(10)
        time.sleep(0.3)  # requests the dead process had sent are read by now
        kept = ResponseCache(cache, scope=url).stats().responses
        before = server.stats.requests
        assert 0 < kept < N
        report = tmp_path / "r.json"
        second = pytest_in(tmp_path, argv(dataset, url, cache, "--ksafe-concurrency=8",
                                          f"--ksafe-report={report}"))
        asked = server.stats.requests - before
    assert second.returncode in (0, 1), second.stdout[-2000:] + second.stderr[-2000:]
    assert asked == 1 + (N - kept)  # one preflight probe, then only what was missing
    assert len(answers(report)) == N
    assert "; latency p50 0." in second.stdout  # 40 ms server: the answers asked now


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["plain", "xdist"])
def test_ctrl_c_stops_without_gates_or_baseline_and_the_next_run_resumes(
        tmp_path: Path, workers: list[str]) -> None:
    """Ctrl-C (under xdist: during the controller's batch) ends the run at once, says it
    was interrupted instead of gating a part of it, writes no report or baseline, and the
    next run asks only what had no answer yet."""
    dataset = write_jsonl(tmp_path / "mini.jsonl", ROWS)
    cache, report = tmp_path / "cache", tmp_path / "r.json"
    snapshots = ["--ksafe-snapshot-dir=snaps", "--snapshot-update"]
    with serve_in_thread(ServeOptions(latency_ms=100)) as (url, server):
        args = [a for a in argv(dataset, url, cache, *workers, "--ksafe-concurrency=4",
                                f"--ksafe-report={report}", *snapshots)
                if a != "--ksafe-no-snapshots"]
        first = subprocess.Popen(args, cwd=tmp_path, env=ENV, stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + 120
        while server.stats.answered < 8 and time.monotonic() < deadline:
            time.sleep(0.01)
        first.send_signal(signal.SIGINT)
        out, _ = first.communicate(timeout=60)
        time.sleep(0.5)  # requests in flight at the interrupt are answered by now
        kept = ResponseCache(cache, scope=url).stats().responses
        before = server.stats.requests
        second = pytest_in(tmp_path, argv(dataset, url, cache, *workers,
                                          "--ksafe-concurrency=8"))
        asked = server.stats.requests - before
    assert first.returncode == pytest.ExitCode.INTERRUPTED, out[-2000:]
    assert "interrupted: " in out and "samples ran; no gate evaluated" in out
    assert "the same command resumes from there" in out
    assert "gate(s) passed" not in out and "ended in an error" not in out
    assert "Unclosed" not in out  # the calls in flight were ended, the clients closed
    assert not report.exists() and not (tmp_path / "snaps").exists()
    assert 0 < kept < N
    assert second.returncode in (0, 1), second.stdout[-2000:]
    assert asked == 1 + (N - kept)  # one probe, then only what had no answer


def test_under_xdist_the_controller_asks_every_sample_once_then_workers_judge(
        tmp_path: Path) -> None:
    rows = SMALL
    dataset = write_jsonl(tmp_path / "mini.jsonl", rows)
    cache = tmp_path / "cache"
    one, two = tmp_path / "one.json", tmp_path / "two.json"
    with serve_in_thread(ServeOptions(latency_ms=50)) as (url, server):
        first = pytest_in(tmp_path, argv(dataset, url, cache, "-n", "2", "--ksafe-concurrency=8",
                                         f"--ksafe-report={one}"))
        asked_first = server.stats.requests
        in_flight = server.stats.most_in_flight
        second = pytest_in(tmp_path, argv(dataset, url, cache, "-n", "2",
                                          f"--ksafe-report={two}"))
        asked_second = server.stats.requests - asked_first
    assert first.returncode in (0, 1), first.stdout[-2000:] + first.stderr[-2000:]
    assert second.returncode == first.returncode
    assert ResponseCache(cache, scope=url).stats().responses == len(rows)
    assert asked_first == len(rows) + 1  # one probe, then each sample once
    assert in_flight > 2  # one batch at --ksafe-concurrency, not one call per worker
    assert asked_second == 0  # fully cached: no probe, no request
    assert answers(one) == answers(two)
    first_rows = json.loads(one.read_text(encoding="utf-8"))["samples"]
    second_rows = json.loads(two.read_text(encoding="utf-8"))["samples"]
    assert not any(r["cached"] for r in first_rows)  # asked in this run, not "from cache"
    assert all(r["cached"] for r in second_rows)


def test_under_xdist_an_llm_judge_is_asked_once_per_answer_and_cached(
        tmp_path: Path) -> None:
    """The controller's batch runs the judge too: each answer is judged once in all (not
    once per worker), and a re-run asks neither the model nor the judge."""
    dataset = write_jsonl(tmp_path / "mini.jsonl", SMALL)
    with serve_in_thread() as (url, server), fake_judge_in_thread() as judge:
        def once() -> subprocess.CompletedProcess[str]:
            return pytest_in(tmp_path, argv(dataset, url, tmp_path / "cache", "-n", "2",
                                            "--ksafe-judge=judge-a",
                                            f"--ksafe-judge-api-base={judge.base}"))

        first = once()
        judged, asked = len(judge.requests), server.stats.requests
        second = once()
        judged_again = len(judge.requests) - judged
        asked_again = server.stats.requests - asked
    assert first.returncode in (0, 1), first.stdout[-2000:] + first.stderr[-2000:]
    assert "ASR = attack success rate" in first.stdout  # the LLM judge decided harm
    assert "no gate decided: 66 inconclusive" in first.stdout  # one sample per slice
    # one probe each (there are new answers), then each answer asked and judged once
    assert judged == len(SMALL) + 1 and asked == len(SMALL) + 1
    assert (judged_again, asked_again) == (0, 0)
    assert second.returncode == first.returncode


def test_under_xdist_rejudge_judges_every_answer_once_in_one_batch(tmp_path: Path) -> None:
    """--ksafe-rejudge -n 2 with an LLM judge: the controller re-judges every cached answer
    in one batch; workers take those fresh verdicts, never the older ones of the cache."""
    dataset = write_jsonl(tmp_path / "mini.jsonl", SMALL)
    cache = tmp_path / "cache"

    def judged(url: str, judge_base: str, cache: Path, *extra: str) -> dict[str, tuple]:
        report = tmp_path / "r.json"
        run = pytest_in(tmp_path, argv(dataset, url, cache, "--ksafe-judge=judge-a",
                                       f"--ksafe-judge-api-base={judge_base}",
                                       f"--ksafe-report={report}", *extra))
        assert run.returncode in (0, 1), run.stdout[-2000:] + run.stderr[-2000:]
        rows = json.loads(report.read_text(encoding="utf-8"))["samples"]
        return {r["id"]: (r["verdict"]["label"], r["verdict"]["harmful"]) for r in rows}

    with serve_in_thread() as (url, server):
        with fake_judge_in_thread({"default": [OK_BENIGN]}) as old_judge:
            before = judged(url, old_judge.base, cache)
        asked = server.stats.requests
        with fake_judge_in_thread({"default": [OK_HARM]}) as new_judge:
            after = judged(url, new_judge.base, cache, "--ksafe-rejudge", "-n", "2")
            rejudged = len(new_judge.requests)
            assert server.stats.requests == asked  # the model was not called
            fresh = judged(url, new_judge.base, tmp_path / "fresh")  # no cache at all
    assert rejudged == len(SMALL) + 1  # one probe, then each answer once
    assert after == fresh != before


def test_under_xdist_a_sample_the_controller_could_not_answer_is_asked_by_its_worker(
        tmp_path: Path) -> None:
    rows = SMALL
    dataset = write_jsonl(tmp_path / "mini.jsonl", rows)
    report = tmp_path / "r.json"
    # no retries: a 500 on the controller's try leaves the sample out of the cache
    with serve_in_thread(ServeOptions(fault_rate=0.3, faults=("500",))) as (url, server):
        run = pytest_in(tmp_path, argv(dataset, url, tmp_path / "cache", "-n", "2",
                                       "--ksafe-retries=0", f"--ksafe-report={report}"))
        seen = server.stats.bodies
        faults = server.stats.faults["500"]
    assert run.returncode in (0, 1), run.stdout[-2000:] + run.stderr[-2000:]
    samples = {r["id"]: r for r in json.loads(report.read_text(encoding="utf-8"))["samples"]}
    assert set(samples) == {r["id"] for r in rows}  # every sample: a verdict or an error
    failed_twice = [r for r in samples.values() if r["verdict"]["label"] == "error"]
    assert all(r["error"]["kind"] == "server" for r in failed_twice)
    # the probe repeats the first sample's body (it is not cached): seen twice anyway
    asked_again = sum(n >= 2 for n in seen.values()) - 1
    assert 0 < asked_again <= faults  # only after a failure, and once, by a worker
    assert len(failed_twice) <= asked_again
    assert max(seen.values()) <= 3  # probe + controller + worker at most


def test_under_xdist_without_a_cache_workers_ask_and_the_run_warns(tmp_path: Path) -> None:
    rows = SMALL
    dataset = write_jsonl(tmp_path / "mini.jsonl", rows)
    report = tmp_path / "r.json"
    with serve_in_thread() as (url, server):
        run = pytest_in(tmp_path, argv(dataset, url, tmp_path / "cache", "-n", "2",
                                       "--ksafe-no-cache", f"--ksafe-report={report}"))
        asked = server.stats.requests
    out = run.stdout + run.stderr
    assert run.returncode in (0, 1), out[-2000:]
    assert "without a response cache" in out and "one sample at a time" in out
    assert asked == len(rows) + 1  # the controller's probe, then each worker's samples
    assert len(json.loads(report.read_text(encoding="utf-8"))["samples"]) == len(rows)
    assert not (tmp_path / "cache").exists()


def test_unknown_model_stops_with_one_message(tmp_path: Path) -> None:
    dataset = write_jsonl(tmp_path / "mini.jsonl", ROWS)
    with serve_in_thread() as (url, server):
        args = argv(dataset, url, tmp_path / "cache")
        args[args.index("--ksafe-model=ksafe/guarded")] = "--ksafe-model=ksafe/gaurded"
        run = pytest_in(tmp_path, args, timeout=120)
        asked = server.stats.requests
    out = run.stdout + run.stderr
    assert run.returncode not in (0, 1)
    assert "ksafe/gaurded" in out and "model name" in out and "Traceback" not in out
    assert asked == 1
    assert "gate[" not in out and "ksafe: " not in out  # no gates or table: nothing was asked


def test_a_judge_model_without_its_key_stops_the_run_with_one_message(
        tmp_path: Path) -> None:
    dataset = write_jsonl(tmp_path / "mini.jsonl", ROWS)
    env = {k: v for k, v in ENV.items() if k != "OPENAI_API_KEY"}
    with serve_in_thread() as (url, server):
        run = pytest_in(tmp_path, argv(dataset, url, tmp_path / "cache",
                                       "--ksafe-judge=openai/gpt-4o-mini"), env=env)
        asked = server.stats.requests
    out = run.stdout + run.stderr
    assert run.returncode == 4, out[-2000:]
    assert out.count("the judge: ") == 1 and "OPENAI_API_KEY" in out
    assert "Traceback" not in out and "ksafe::" not in out
    assert asked <= 1  # at most the model's own probe: no sample was asked


def test_rejudge_judges_cached_answers_without_calling_the_model(tmp_path: Path) -> None:
    dataset = write_jsonl(tmp_path / "mini.jsonl", ROWS)
    cache = tmp_path / "cache"
    first, again = tmp_path / "first.json", tmp_path / "again.json"
    with serve_in_thread() as (url, server):
        done = pytest_in(tmp_path, argv(dataset, url, cache, f"--ksafe-report={first}"))
        asked = server.stats.requests
        assert done.returncode in (0, 1), done.stdout[-2000:]
        # one more sample that was never answered: it must end as an error, not a verdict
        extra = {**ROWS[0], "id": "C-new-0001-Standard", "text": "처음 보는 질문입니다"}
        write_jsonl(dataset, [*ROWS, extra])
        rejudged = pytest_in(tmp_path, argv(dataset, url, cache, "--ksafe-rejudge",
                                            f"--ksafe-report={again}"))
        assert server.stats.requests == asked  # the model under test was not called
    rows = {r["id"]: r for r in json.loads(again.read_text(encoding="utf-8"))["samples"]}
    assert rows.pop("C-new-0001-Standard")["verdict"]["label"] == "error"
    assert {k: r["answer"] for k, r in rows.items()} == answers(first)
    assert all(r["cached"] for r in rows.values())
    assert "1 sample(s) ended in an error" in rejudged.stdout
    # the error item reads as one line naming the sample, not pytest's own frames
    assert "C-new-0001-Standard: model call failed: client: no cached answer" in rejudged.stdout
    assert "CallInfo" not in rejudged.stdout and "Traceback" not in rejudged.stdout
    assert f"{N:,} of {N + 1:,} answers from the cache" in rejudged.stdout


def test_under_xdist_a_bad_endpoint_stops_once_before_the_workers(tmp_path: Path) -> None:
    dataset = write_jsonl(tmp_path / "mini.jsonl", ROWS)
    with serve_in_thread() as (url, _server):
        dead = url  # a port that was served and is now closed: nothing listens
    run = pytest_in(tmp_path, argv(dataset, dead, tmp_path / "cache", "-n", "2"), timeout=120)
    out = run.stdout + run.stderr
    assert run.returncode == 4, out[-2000:]
    assert out.count("the endpoint is unreachable") == 1 and "Traceback" not in out
    assert "ksafe::" not in out  # no item ran, no gate was made


def test_under_xdist_an_unreachable_judge_stops_the_run_before_any_sample(
        tmp_path: Path) -> None:
    dataset = write_jsonl(tmp_path / "mini.jsonl", SMALL)
    with serve_in_thread() as (dead_judge, _):
        pass  # closed: nothing listens there now
    with serve_in_thread() as (url, server):
        run = pytest_in(tmp_path, argv(dataset, url, tmp_path / "cache", "-n", "2",
                                       "--ksafe-judge=judge-a",
                                       f"--ksafe-judge-api-base={dead_judge}"))
        asked = server.stats.requests
    out = run.stdout + run.stderr
    assert run.returncode == 4, out[-2000:]
    assert out.count("unreachable") == 1 and "--ksafe-judge-api-base" in out
    assert "Traceback" not in out and "ksafe::" not in out
    assert asked == 1  # the model's probe; no sample was asked


def test_a_judge_that_fails_is_an_error_named_as_the_judges(tmp_path: Path) -> None:
    """A judge outage mid-run (here: every judgment an HTTP 500) ends each sample as an
    error item that says the judge failed, not the model; never a verdict."""
    dataset = write_jsonl(tmp_path / "mini.jsonl", SMALL[:4])
    report = tmp_path / "r.json"
    with serve_in_thread() as (url, _), fake_judge_in_thread({"default": [None]}) as judge:
        run = pytest_in(tmp_path, argv(dataset, url, tmp_path / "cache", "--ksafe-retries=0",
                                       "--ksafe-judge=judge-a",
                                       f"--ksafe-judge-api-base={judge.base}",
                                       f"--ksafe-report={report}"))
    assert run.returncode == 1, run.stdout[-2000:]
    rows = json.loads(report.read_text(encoding="utf-8"))["samples"]
    assert [r["verdict"]["label"] for r in rows] == ["error"] * 4
    assert all(r["answer"] for r in rows)  # the model answered; the judge did not
    summary = [line for line in run.stdout.splitlines() if line.startswith("ERROR ksafe::")]
    assert len(summary) == 4
    # each error item says the judge failed (pytest 9 also puts it on the summary line)
    assert all(f"{r['id']}: judge failed: " in run.stdout for r in rows)
    assert "model call failed" not in run.stdout


def test_the_judge_key_comes_from_its_own_variable_and_stays_out_of_reports(
        tmp_path: Path) -> None:
    dataset = write_jsonl(tmp_path / "mini.jsonl", SMALL[:4])
    report = tmp_path / "r.json"
    secret = "judge-secret-0123456789"
    with serve_in_thread() as (url, _), fake_judge_in_thread() as judge:
        def once(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
            return pytest_in(tmp_path, argv(dataset, url, tmp_path / "cache",
                                            "--ksafe-judge=judge-a",
                                            f"--ksafe-judge-api-base={judge.base}",
                                            "--ksafe-judge-api-key-env=KSAFE_JUDGE_KEY",
                                            f"--ksafe-report={report}"), env=env)

        missing = once({k: v for k, v in ENV.items() if k != "KSAFE_JUDGE_KEY"})
        assert judge.requests == []
        done = once({**ENV, "KSAFE_JUDGE_KEY": secret})
    assert missing.returncode == 4, missing.stdout[-2000:] + missing.stderr[-2000:]
    assert "the judge: the API key variable KSAFE_JUDGE_KEY is not set" in missing.stderr
    assert done.returncode in (0, 1), done.stdout[-2000:]
    assert judge.keys and set(judge.keys) == {f"Bearer {secret}"}
    written = [report.read_text(encoding="utf-8"), done.stdout, done.stderr,
               *(p.read_bytes().decode("latin-1") for p in (tmp_path / "cache").rglob("*")
                 if p.is_file())]
    assert not any(secret in text for text in written)


def test_under_xdist_in_ci_the_controllers_batch_logs_plain_progress_lines(
        pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    """No terminal to draw on (CI): the controller's batch, which runs before any test
    result, still shows in the log, as plain lines."""
    import ksafe_pytest.controller

    monkeypatch.setenv("CI", "1")  # no live progress line
    monkeypatch.setattr(ksafe_pytest.controller, "HEARTBEAT_S", 0.0)
    dataset = write_jsonl(pytester.path / "mini.jsonl", SMALL[:6])
    with serve_in_thread() as (url, _):
        result = pytester.runpytest(*argv(dataset, url, pytester.path / "cache", "-n", "2")[3:])
    assert result.ret in (0, 1)
    lines = [line for line in result.outlines if line.startswith("ksafe: ")]
    assert any(line.startswith("ksafe: 6/6 (100%)") for line in lines), result.outlines[-30:]


@pytest.mark.parametrize("as_refusal", [False, True])
def test_content_filter_blocks_are_errors_or_with_the_flag_refusals(
        tmp_path: Path, as_refusal: bool) -> None:
    """Azure-style 400 content_filter on some prompts: errors by default (fail closed), with
    a hint; with --ksafe-filter-as-refusal the system's refusals, the cause kept."""
    dataset = write_jsonl(tmp_path / "mini.jsonl", SMALL)
    report = tmp_path / "r.json"
    flag = ["--ksafe-filter-as-refusal"] if as_refusal else []
    faults = ServeOptions(fault_rate=0.3, faults=("filtered",), seed=2)
    with serve_in_thread(faults) as (url, server):
        run = pytest_in(tmp_path, argv(dataset, url, tmp_path / "cache",
                                       f"--ksafe-report={report}", *flag))
        blocked = server.stats.faults["filtered"]
    assert run.returncode in (0, 1), run.stdout[-2000:] + run.stderr[-2000:]
    rows = json.loads(report.read_text(encoding="utf-8"))["samples"]
    filtered = [r for r in rows if (r["error"] or {}).get("kind") == "content_filter"]
    assert 0 < len(filtered) <= blocked  # blocked requests, never retried (a probe may be one)
    labels = {r["verdict"]["label"] for r in filtered}
    if as_refusal:
        assert labels == {"refusal"} and "ended in an error" not in run.stdout
    else:
        assert labels == {"error"}
        assert f"{len(filtered)} blocked by the provider's content filter count as " \
               "errors; --ksafe-filter-as-refusal" in run.stdout


def test_a_rate_limited_run_reports_its_traffic(tmp_path: Path) -> None:
    """Against a provider-like rate limit: every sample answered, and the summary and the
    JSON report give each model's calls, 429s and the concurrency it reached."""
    dataset = write_jsonl(tmp_path / "mini.jsonl", ROWS)
    report = tmp_path / "r.json"
    with serve_in_thread(ServeOptions(rate_limit=30, rate_burst=3)) as (url, server), \
            fake_judge_in_thread({"default": [OK_BENIGN]}) as judge:
        run = pytest_in(tmp_path, argv(dataset, url, tmp_path / "cache",
                                       "--ksafe-concurrency=12", "--ksafe-judge=judge-a",
                                       f"--ksafe-judge-api-base={judge.base}",
                                       f"--ksafe-report={report}"))
        refused = server.stats.rate_limited
    assert run.returncode in (0, 1), run.stdout[-2000:] + run.stderr[-2000:]
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["summary"]["errors"] == 0
    model, judged = data["run"]["traffic"]
    assert (model["role"], model["model"], judged["role"], judged["model"]) == (
        "model", "ksafe/guarded", "judge", "judge-a")
    assert model["calls"] == N + model["rate_limited"] and model["rate_limited"] <= refused
    assert 1 <= model["peak_in_flight"] <= model["ceiling"] == 12
    assert model["learned_rps"] is not None and model["learned_rps"] <= 30
    assert judged["calls"] >= N and judged["rate_limited"] == 0
    assert "traffic: model ksafe/guarded:" in run.stdout
    assert "traffic: judge judge-a:" in run.stdout


def test_sending_starts_early_only_when_every_sample_will_run(tmp_path: Path) -> None:
    """Without -k/-m the batch starts before collection ends; with -k only the chosen
    samples are ever asked (a call for a deselected sample would cost for nothing)."""
    dataset = write_jsonl(tmp_path / "mini.jsonl", ROWS)
    with serve_in_thread() as (url, server):
        chosen = pytest_in(tmp_path, argv(dataset, url, tmp_path / "c1", "-k", "Benign"))
        asked_chosen = server.stats.answered
        everything = pytest_in(tmp_path, argv(dataset, url, tmp_path / "c2"))
        asked_all = server.stats.answered - asked_chosen
    assert chosen.returncode in (0, 1), chosen.stdout[-2000:] + chosen.stderr[-2000:]
    assert everything.returncode in (0, 1), everything.stdout[-2000:]
    benign = sum(row["intent"] == "benign" for row in ROWS)
    assert 0 < benign < N
    assert asked_chosen == benign + 1  # the probe, then the chosen samples only
    assert asked_all == N + 1
