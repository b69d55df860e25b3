"""Loopback OpenAI-compatible fakes for the tests: one way to start a handler on
127.0.0.1 (a free port) and one way to answer a chat completion."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.Response]]


def completion(model: str, text: str, *, prompt_tokens: int = 1,
               completion_tokens: int = 1) -> web.Response:
    """A chat completion answering `text`."""
    return web.json_response({
        "id": "x", "object": "chat.completion", "model": model,
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": text}}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens}})


async def start(handler: Handler) -> tuple[web.AppRunner, str]:
    """Serve `handler` at /v1/chat/completions on 127.0.0.1; the runner and the base URL."""
    app = web.Application()
    app.router.add_post("/v1/chat/completions", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}/v1"


@contextmanager
def serving(handler: Handler) -> Iterator[str]:
    """`handler` on its own event loop in a thread (for runs in another process or on
    another loop); yields the base URL."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    runner, base = asyncio.run_coroutine_threadsafe(start(handler), loop).result(10)
    try:
        yield base
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
