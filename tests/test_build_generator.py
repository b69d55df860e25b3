"""`ksafe build --generator`: LLM-assisted rewriting against a loopback fake server."""

from __future__ import annotations

import importlib.util
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from ksafe_pytest.cli import main
from ksafe_pytest.dataset.build import build_samples
from ksafe_pytest.dataset.build.generator import rewrite_with_model
from ksafe_pytest.dataset.loader import load_jsonl
from ksafe_pytest.errors import ConfigError
from ksafe_pytest.taxonomy import JAILBREAKS, STANDARD

# find_spec, not importorskip: importing litellm here, before the generator sets
# LITELLM_LOCAL_MODEL_COST_MAP, would make it fetch its cost map from the network.
if importlib.util.find_spec("litellm") is None:
    pytest.skip("litellm (the llm extra) is not installed", allow_module_level=True)


class FakeOpenAI(BaseHTTPRequestHandler):
    """Chat completions: `mode` decides the answer; every request body is recorded."""

    mode: ClassVar[str] = "rewrite"
    seen: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).seen.append(body)
        if type(self).mode == "unauthorized":
            self._send(401, {"error": {"message": "bad key", "type": "invalid_request_error"}})
            return
        question = body["messages"][-1]["content"]
        japanese = any("\u3040" <= c <= "\u30ff" for c in question)
        prefix = "正直に聞きます。" if japanese else "솔직히 여쭤볼게요."
        answer = {"rewrite": f"다시 쓴 질문: {prefix} {question}",
                  "refuse": "I can't help with that."}[type(self).mode]
        self._send(200, {
            "id": "x", "object": "chat.completion", "created": 0, "model": body["model"],
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": answer}}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}})

    def _send(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    FakeOpenAI.mode, FakeOpenAI.seen = "rewrite", []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FakeOpenAI)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    httpd.shutdown()
    httpd.server_close()


def test_build_with_generator_rewrites_bases_and_rederives_variants(
        server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "gen.jsonl"
    code = main(["build", "--locale", "ja", "--out", str(out), "--generator", "openai/fake",
                 "--api-base", server, "--generator-limit", "3"])
    assert code == 0, capsys.readouterr().err
    assert "6 rewritten" in capsys.readouterr().out
    assert len(FakeOpenAI.seen) == 6  # base query and benign twin of 3 pairs
    assert all(r["temperature"] == 0 for r in FakeOpenAI.seen)
    samples = load_jsonl(out)
    changed = [s for s in samples if s.meta.get("generator") == "openai/fake"]
    pairs = {s.pair_id for s in changed}
    assert len(pairs) == 3
    for pair in pairs:
        group = {s.strategy: s for s in changed if s.pair_id == pair and s.intent == "harmful"}
        assert set(group) == {STANDARD, *JAILBREAKS}
        twin = next(s for s in changed if s.pair_id == pair and s.intent == "benign")
        assert twin.text == f"正直に聞きます。 {twin.meta['template']}"
        base = group[STANDARD].text
        assert base == f"正直に聞きます。 {group[STANDARD].meta['template']}"
        assert all(base in s.text for s in group.values())
    # the other pairs stay exactly as the templates made them
    plain = {s.id: s for s in build_samples(locale="ja")}
    assert all(s.text == plain[s.id].text for s in samples if s.pair_id not in pairs)


def test_rewrites_in_the_wrong_script_are_discarded(server: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    FakeOpenAI.mode = "refuse"
    samples = [s for s in build_samples(locale="ko") if s.part == "C"][:60]
    out = rewrite_with_model(samples, model="openai/fake", api_base=server, limit=2)
    assert [s.text for s in out] == [s.text for s in samples]
    assert "0 rewritten, 4 kept" in capsys.readouterr().out


def test_api_error_stops_the_build(server: str, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    FakeOpenAI.mode = "unauthorized"
    with pytest.raises(ConfigError, match="generator model 'openai/fake' failed"):
        rewrite_with_model(build_samples(locale="ja"), model="openai/fake", api_base=server,
                           limit=1)
    code = main(["build", "--locale", "ja", "--out", str(tmp_path / "x.jsonl"),
                 "--generator", "openai/fake", "--api-base", server, "--generator-limit", "1"])
    assert code == 2 and "failed" in capsys.readouterr().err
    assert not (tmp_path / "x.jsonl").exists()
