"""The response cache: hits and misses, never an error, resume, several processes."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from _engine_helpers import run_batch, samples

from ksafe_pytest.cli import main as ksafe_main
from ksafe_pytest.engine.cache import FILENAME, ResponseCache
from ksafe_pytest.engine.runner import RunSettings
from ksafe_pytest.errors import ConfigError
from ksafe_pytest.models import ClientSettings
from ksafe_pytest.models.http_client import OpenAIHTTPClient
from ksafe_pytest.records import ErrorKind, ImageSpec, ModelError, Request, Response, Usage
from ksafe_pytest.serve import ServeOptions, serve_in_thread

RENDER = "render-test"


def answer(text: str = "죄송하지만 도와드릴 수 없습니다.", model: str = "m") -> Response:
    return Response("S-1", model, text=text, finish_reason="stop",
                    usage=Usage(12, 7, 0.0001), latency_s=0.2, attempts=2)


def test_round_trip_keeps_korean_and_usage(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path)
    assert cache.get("k") is None
    cache.put("k", answer())
    assert cache.counts().writes == 1
    got = cache.get("k")
    assert got is not None and got.cached
    assert (got.text, got.usage, got.finish_reason, got.attempts) == (
        "죄송하지만 도와드릴 수 없습니다.", Usage(12, 7, 0.0001), "stop", 2)
    assert cache.counts().hits == 1 and cache.counts().misses == 1
    assert cache.has("k") and not cache.has("other")
    assert cache.counts().hits == 1 and cache.counts().misses == 1  # has() does not count
    with sqlite3.connect(tmp_path / FILENAME) as conn:
        [(body,)] = conn.execute("SELECT body FROM responses").fetchall()
    assert "도와드릴" in body  # readable JSON, not \\u escapes


def test_errors_and_empty_answers_are_never_stored(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path)
    failed = Response("S", "m", error=ModelError(ErrorKind.SERVER, "boom", 500, True))
    cache.put("a", failed)
    cache.put("b", answer(text="  \n"))
    assert cache.counts().writes == 0
    assert cache.get("a") is None and cache.get("b") is None
    assert cache.stats().responses == 0


def test_key_covers_model_params_text_image_and_render() -> None:
    spec = ImageSpec("typographic", {"text": "전세"})
    base = Request("S", "m", "질문", spec, {"temperature": 0})
    keys = {
        base.key(RENDER),
        Request("S", "m2", "질문", spec, {"temperature": 0}).key(RENDER),
        Request("S", "m", "질문", spec, {"temperature": 1}).key(RENDER),
        Request("S", "m", "질문!", spec, {"temperature": 0}).key(RENDER),
        Request("S", "m", "질문", ImageSpec("typographic", {"text": "월세"}),
                {"temperature": 0}).key(RENDER),
        Request("S", "m", "질문", None, {"temperature": 0}).key(RENDER),
        base.key("render-other"),
    }
    assert len(keys) == 7
    # the sample id is not content: two samples asking the same thing share an answer
    assert Request("S2", "m", "질문", spec, {"temperature": 0}).key(RENDER) == base.key(RENDER)


def test_scope_separates_endpoints_and_data_survives_reopen(tmp_path: Path) -> None:
    a = ResponseCache(tmp_path, scope="http://127.0.0.1:1/v1")
    a.put("k", answer("A"))
    a.close()
    b = ResponseCache(tmp_path, scope="http://127.0.0.1:2/v1")
    assert b.get("k") is None
    again = ResponseCache(tmp_path, scope="http://127.0.0.1:1/v1")
    got = again.get("k")
    assert got is not None and got.text == "A"


def test_corrupt_file_gives_one_clear_message(tmp_path: Path) -> None:
    (tmp_path / FILENAME).write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ConfigError, match=r"cannot be used.*remove"):
        ResponseCache(tmp_path).get("k")


def test_several_processes_write_at_once(tmp_path: Path) -> None:
    script = textwrap.dedent(f"""
        import sys
        from ksafe_pytest.engine.cache import ResponseCache
        from ksafe_pytest.records import Response
        worker = sys.argv[1]
        cache = ResponseCache({str(tmp_path)!r})
        for i in range(150):
            cache.put(f"{{worker}}-{{i}}", Response(f"S-{{i}}", "m", text=f"답 {{i}}"))
            assert cache.get(f"{{worker}}-{{i // 2}}") is not None
        assert cache.counts().write_errors == 0 and cache.counts().writes == 150
    """)
    procs = [subprocess.Popen([sys.executable, "-c", script, str(w)]) for w in range(4)]
    assert [p.wait(120) for p in procs] == [0, 0, 0, 0]
    assert ResponseCache(tmp_path).stats().responses == 600


def test_pipeline_second_run_never_queries(tmp_path: Path) -> None:
    items = samples(40)
    settings = RunSettings(concurrency=8, timeout_s=5, retries=1)
    with serve_in_thread() as (url, server):
        client = OpenAIHTTPClient("ksafe/guarded", ClientSettings(api_base=url))
        first = run_batch(client, items, settings, store=ResponseCache(tmp_path, url))
        assert server.stats.requests == 40
        client = OpenAIHTTPClient("ksafe/guarded", ClientSettings(api_base=url))
        second = run_batch(client, items, settings, store=ResponseCache(tmp_path, url))
        assert server.stats.requests == 40  # all hits
    assert all(r.response.cached for r in second.values())
    assert not any(r.response.cached for r in first.values())
    assert {k: (r.response.text, r.verdict.label) for k, r in first.items()} == {
        k: (r.response.text, r.verdict.label) for k, r in second.items()}
    assert {r.response.sample_id for r in second.values()} == {s.id for s in items}


def test_failed_calls_are_asked_again_next_run(tmp_path: Path) -> None:
    items = samples(10)
    settings = RunSettings(concurrency=4, timeout_s=5, retries=0)
    with serve_in_thread(ServeOptions(fault_rate=1.0, faults=("500", "empty"))) as (url, _):
        client = OpenAIHTTPClient("ksafe/guarded", ClientSettings(api_base=url))
        failed = run_batch(client, items, settings, store=ResponseCache(tmp_path, url))
    assert all(not r.response.ok for r in failed.values())
    assert ResponseCache(tmp_path).stats().responses == 0
    with serve_in_thread() as (url2, server):
        client = OpenAIHTTPClient("ksafe/guarded", ClientSettings(api_base=url2))
        run_batch(client, items, settings, store=ResponseCache(tmp_path, url2))
        assert server.stats.requests == 10


def test_cli_stats_and_clear(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert ksafe_main(["cache", "stats", "--dir", str(tmp_path)]) == 0
    assert "no cache at" in capsys.readouterr().out
    cache = ResponseCache(tmp_path)
    for i in range(3):
        cache.put(f"g{i}", answer(model="ksafe/guarded"))
    cache.put("r", answer(model="ksafe/refuse-all"))
    cache.close()
    assert ksafe_main(["cache", "stats", "--dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "4 cached answer(s)" in out and "ksafe/guarded" in out and "ksafe/refuse-all" in out
    assert ksafe_main(["cache", "clear", "--dir", str(tmp_path), "--model",
                       "ksafe/refuse-all"]) == 0
    assert "deleted 1" in capsys.readouterr().out
    assert ksafe_main(["cache", "clear", "--dir", str(tmp_path)]) == 0
    assert "deleted 3" in capsys.readouterr().out
    assert ResponseCache(tmp_path).stats().responses == 0
    assert ksafe_main(["cache", "stats", "--dir", str(tmp_path), "--model", "x"]) == 2


def test_cli_covers_the_verdict_cache_and_images(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    from ksafe_pytest.judges.cache import JudgeCache
    from ksafe_pytest.records import Label, Verdict

    judged = JudgeCache(tmp_path)
    for i in range(3):
        judged.put(f"k{i}", Verdict(Label.REFUSAL, False, "chain@1[llm:judge-a]"))
    judged.put("k9", Verdict(Label.COMPLIANCE, True, "chain@1[llm:judge-b]"))
    judged.close()
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "a.png").write_bytes(b"png")
    assert ksafe_main(["cache", "stats", "--dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "4 cached verdict(s)" in out and "chain@1[llm:judge-a]         3" in out
    assert ksafe_main(["cache", "clear", "--dir", str(tmp_path), "--model", "m"]) == 0
    assert len(JudgeCache(tmp_path)) == 4  # one model's answers only: verdicts stay
    assert ksafe_main(["cache", "clear", "--dir", str(tmp_path)]) == 0
    assert "deleted 4 cached verdict(s)" in capsys.readouterr().out
    assert len(JudgeCache(tmp_path)) == 0 and not (tmp_path / "images").exists()
