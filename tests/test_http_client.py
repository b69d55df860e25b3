"""The direct OpenAI-compatible client: payload, parsing, error typing, secrets."""

from __future__ import annotations

import asyncio
import email.utils
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from ksafe_pytest.errors import ModelSetupError
from ksafe_pytest.models import ClientSettings, resolve_client
from ksafe_pytest.models.http_client import (
    OpenAIHTTPClient,
    chat_payload,
    error_for_status,
    parse_completion,
    parse_retry_after,
)
from ksafe_pytest.records import ErrorKind, ImageSpec, Request

SECRET = "sk-test-0123456789abcdef"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@asynccontextmanager
async def fake_server(handler: Handler) -> AsyncIterator[str]:
    app = web.Application()
    app.router.add_post("/v1/chat/completions", handler)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    try:
        yield f"http://{host}:{port}/v1"
    finally:
        await runner.cleanup()


def ok_body(content: Any, **extra: Any) -> dict[str, Any]:
    return {"choices": [{"message": {"role": "assistant", "content": content},
                         "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 11, "completion_tokens": 5}, **extra}


def request(image: bool = False, **params: Any) -> Request:
    spec = ImageSpec("typographic", {"text": "전세 사기"}) if image else None
    return Request("S-1", "test-model", "이 이미지를 설명해 줘", spec, params)


async def call(handler: Handler, req: Request, **settings: Any) -> Any:
    async with fake_server(handler) as url:
        client = OpenAIHTTPClient("test-model", ClientSettings(api_base=url, **settings))
        try:
            return await client.complete(req)
        finally:
            await client.aclose()


def test_retry_after_seconds_date_and_ms() -> None:
    assert parse_retry_after({"Retry-After": "3"}) == 3.0
    assert parse_retry_after({"Retry-After": "0.25"}) == 0.25
    assert parse_retry_after({"retry-after-ms": "1500", "Retry-After": "9"}) == 1.5
    now = time.time()
    date = email.utils.formatdate(now + 20, usegmt=True)
    assert 18.0 <= (parse_retry_after({"Retry-After": date}, now=now) or 0) <= 21.0
    past = email.utils.formatdate(now - 100, usegmt=True)
    assert parse_retry_after({"Retry-After": past}, now=now) == 0.0
    assert parse_retry_after({"Retry-After": "soon"}) is None
    assert parse_retry_after({}) is None


def test_payload_text_only_and_image_part() -> None:
    body = chat_payload(request(temperature=0, max_tokens=64, seed=3), None)
    assert body["messages"] == [{"role": "user", "content": "이 이미지를 설명해 줘"}]
    assert (body["temperature"], body["max_tokens"], body["seed"]) == (0, 64, 3)
    with_image = chat_payload(request(image=True), "data:image/png;base64,AAAA")
    parts = with_image["messages"][0]["content"]
    assert parts[0] == {"type": "text", "text": "이 이미지를 설명해 줘"}
    assert parts[1] == {"type": "image_url",
                        "image_url": {"url": "data:image/png;base64,AAAA"}}


@pytest.mark.parametrize("body, problem", [
    ([], "not a JSON object"),
    ({}, "choices"),
    ({"choices": []}, "choices"),
    ({"choices": [{"finish_reason": "stop"}]}, "message"),
    ({"choices": [{"message": {"role": "assistant"}}]}, "content"),
    ({"choices": [{"message": {"content": 42}}]}, "not text"),
])
def test_malformed_bodies_are_value_errors(body: Any, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        parse_completion(body)


def test_parse_parts_refusal_and_usage() -> None:
    text, finish, usage = parse_completion(ok_body([{"type": "text", "text": "안녕"},
                                                    {"type": "text", "text": "하세요"}]))
    assert (text, finish, usage.prompt_tokens, usage.completion_tokens) == (
        "안녕하세요", "stop", 11, 5)
    text, _, _ = parse_completion({"choices": [{"message": {
        "content": None, "refusal": "I can't help with that."}}]})
    assert text == "I can't help with that."


@pytest.mark.parametrize("status, kind, retryable", [
    (429, ErrorKind.RATE_LIMIT, True), (500, ErrorKind.SERVER, True),
    (503, ErrorKind.SERVER, True), (408, ErrorKind.TIMEOUT, True),
    (400, ErrorKind.CLIENT, False), (401, ErrorKind.CLIENT, False),
    (404, ErrorKind.CLIENT, False),
])
def test_status_classification(status: int, kind: ErrorKind, retryable: bool) -> None:
    err = error_for_status(status, json.dumps({"error": {"message": "why"}}), 2.0)
    assert (err.kind, err.retryable, err.status) == (kind, retryable, status)
    assert err.message.endswith(": why")


def test_sends_image_params_and_key_and_parses_answer(monkeypatch: pytest.MonkeyPatch
                                                       ) -> None:
    monkeypatch.setenv("KSAFE_TEST_KEY", SECRET)
    seen: dict[str, Any] = {}

    async def handler(req: web.Request) -> web.Response:
        seen["auth"] = req.headers.get("Authorization")
        seen["body"] = await req.json()
        return web.json_response(ok_body("설명드리겠습니다."))

    resp = asyncio.run(call(handler, request(image=True, temperature=0, seed=1),
                            api_key_env="KSAFE_TEST_KEY"))
    assert resp.ok and resp.text == "설명드리겠습니다." and resp.finish_reason == "stop"
    assert (resp.usage.prompt_tokens, resp.usage.completion_tokens) == (11, 5)
    assert seen["auth"] == f"Bearer {SECRET}"
    body = seen["body"]
    assert body["model"] == "test-model" and body["temperature"] == 0 and body["seed"] == 1
    url = body["messages"][0]["content"][1]["image_url"]["url"]
    assert url.startswith("data:image/png;base64,iVBORw0KGgo")  # a real PNG


def test_default_key_variable_and_no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str | None] = []

    async def handler(req: web.Request) -> web.Response:
        seen.append(req.headers.get("Authorization"))
        return web.json_response(ok_body("네"))

    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    asyncio.run(call(handler, request()))
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    asyncio.run(call(handler, request()))
    assert seen == [None, f"Bearer {SECRET}"]


def test_secret_never_in_error_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)

    async def echo_key(req: web.Request) -> web.Response:
        return web.json_response({"error": {"message": f"bad key {SECRET}"}}, status=401)

    resp = asyncio.run(call(echo_key, request()))
    assert resp.error is not None and resp.error.kind is ErrorKind.CLIENT
    assert not resp.error.retryable and resp.error.status == 401
    assert "API key" in resp.error.message
    assert SECRET not in repr(resp)


def test_malformed_empty_and_filtered_answers() -> None:
    async def malformed(req: web.Request) -> web.Response:
        return web.Response(text="{oops", content_type="application/json")

    async def empty(req: web.Request) -> web.Response:
        return web.json_response(ok_body(""))

    async def filtered(req: web.Request) -> web.Response:
        body = ok_body(None)
        body["choices"][0]["finish_reason"] = "content_filter"
        return web.json_response(body)

    bad = asyncio.run(call(malformed, request()))
    assert bad.error is not None and bad.error.kind is ErrorKind.BAD_RESPONSE
    assert bad.error.retryable
    none = asyncio.run(call(empty, request()))
    assert none.error is not None and none.error.kind is ErrorKind.EMPTY and none.text == ""
    blocked = asyncio.run(call(filtered, request()))
    assert blocked.error is not None and blocked.error.kind is ErrorKind.FILTERED
    assert "content filter" in blocked.error.message and not blocked.error.retryable


def test_429_carries_retry_after() -> None:
    async def limited(req: web.Request) -> web.Response:
        return web.json_response({"error": {"message": "slow down"}}, status=429,
                                 headers={"Retry-After": "7"})

    resp = asyncio.run(call(limited, request()))
    assert resp.error is not None and resp.error.kind is ErrorKind.RATE_LIMIT
    assert resp.error.retryable and resp.error.retry_after == 7.0


def test_timeout_and_refused_connection_are_retryable() -> None:
    async def stall(req: web.Request) -> web.Response:
        await asyncio.sleep(1)
        return web.json_response(ok_body("late"))

    slow = asyncio.run(call(stall, request(), timeout_s=0.2))
    assert slow.error is not None and slow.error.kind is ErrorKind.TIMEOUT
    assert slow.error.retryable

    async def refused() -> Any:
        async with fake_server(stall) as url:
            pass  # closed again: nothing listens on that port now
        client = OpenAIHTTPClient("m", ClientSettings(api_base=url))
        try:
            return await client.complete(request())
        finally:
            await client.aclose()

    down = asyncio.run(refused())
    assert down.error is not None and down.error.kind is ErrorKind.CONNECTION
    assert down.error.retryable


def test_resolve_client_picks_http_with_api_base_and_needs_one() -> None:
    client = resolve_client("ksafe/guarded", ClientSettings(api_base="http://127.0.0.1:9/v1"))
    assert isinstance(client, OpenAIHTTPClient)
    assert client.url == "http://127.0.0.1:9/v1/chat/completions"
    with pytest.raises(ModelSetupError, match="api-base"):
        OpenAIHTTPClient("m", ClientSettings())


def test_named_key_variable_missing_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KSAFE_NOPE_KEY", raising=False)
    client = OpenAIHTTPClient("m", ClientSettings(api_base="http://127.0.0.1:9/v1",
                                                  api_key_env="KSAFE_NOPE_KEY"))
    assert "KSAFE_NOPE_KEY" in (client.missing_key() or "")
    assert OpenAIHTTPClient("m", ClientSettings(api_base="http://x/v1")).missing_key() is None


def test_rendered_images_are_kept_in_image_dir(tmp_path: Path) -> None:
    async def handler(req: web.Request) -> web.Response:
        return web.json_response(ok_body("네"))

    resp = asyncio.run(call(handler, request(image=True), image_dir=str(tmp_path)))
    assert resp.ok
    pngs = list(tmp_path.rglob("*.png"))
    assert len(pngs) == 1 and pngs[0].read_bytes().startswith(b"\x89PNG")


def test_connection_pool_is_sized_to_concurrency() -> None:
    client = OpenAIHTTPClient("m", ClientSettings(api_base="http://x/v1", concurrency=128))
    assert client.concurrency == 128
