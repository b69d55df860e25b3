"""The reference models behind an OpenAI-compatible HTTP server, on loopback only.

Tests and benchmarks drive the real HTTP path (client, retries, cache) against it, with
optional latency and deterministic fault injection.

Over HTTP the server sees only the image's pixels, not its spec. It recognises the images
of the built-in samples, or of `--dataset`'s (rendered or read, and compared byte for byte,
see `ImageReader`) and then answers exactly as the offline `ksafe/<name>` model; any other
image is ignored and the answer comes from the text alone. Text-only requests
(`--ksafe-text-only` puts the image's words into the text) get the same answers as offline.

Faults are a pure function of (seed, request body, how many times that body was seen), so
a run's faults do not depend on the order in which concurrent requests arrive, and a retry
of a faulted request rolls again.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import ipaddress
import json
import threading
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager, contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from ksafe_pytest.errors import ConfigError
from ksafe_pytest.models.reference import PREFIX, ReferenceModel
from ksafe_pytest.records import ImageSpec, Request, Sample, sha256_hex
from ksafe_pytest.serve_ratelimit import TokenBucket

FAULT_KINDS = ("429", "500", "503", "timeout", "malformed", "empty", "missing", "reset",
               "quota", "filtered")
# faults no retry cures: the account's quota used up (429 insufficient_quota), Azure
# OpenAI's prompt filter (400 content_filter)
PERMANENT_FAULTS = ("quota", "filtered")
# on request only: "reset" (a connection dropped mid-request) and the permanent ones
DEFAULT_FAULTS = tuple(k for k in FAULT_KINDS if k not in ("reset", *PERMANENT_FAULTS))


@dataclass(frozen=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 0  # 0: a free port
    latency_ms: float = 0.0
    fault_rate: float = 0.0
    faults: tuple[str, ...] = DEFAULT_FAULTS
    seed: int = 0
    retry_after_s: float = 1.0  # sent with every injected 429
    stall_s: float = 30.0  # how long a "timeout" fault holds the request
    backlog: int = 1024
    read_images: bool = True  # recognise the dataset's images (see ImageReader)
    dataset: str | None = None  # whose images to recognise (None: the built-in ones)
    rate_limit: float = 0.0  # requests per second a provider-like token bucket allows (0: any)
    rate_burst: float | None = None  # that bucket's capacity (default: one second's worth)

    def __post_init__(self) -> None:
        check_loopback(self.host)
        if not 0.0 <= self.fault_rate <= 1.0:
            raise ConfigError(f"--fault-rate must be between 0 and 1, got {self.fault_rate}")
        unknown = [f for f in self.faults if f not in FAULT_KINDS]
        if unknown:
            raise ConfigError(f"unknown fault kind(s) {', '.join(unknown)}; known: "
                              + ", ".join(FAULT_KINDS))
        if self.fault_rate > 0 and not self.faults:
            raise ConfigError("--fault-rate is set but --faults names no fault kind")
        if self.rate_limit < 0:
            raise ConfigError(f"--rate-limit must not be negative, got {self.rate_limit}")
        if self.latency_ms < 0:
            raise ConfigError(f"--latency-ms must not be negative, got {self.latency_ms}")


def check_loopback(host: str) -> None:
    """Refuse to listen anywhere but loopback: this server has no authentication."""
    if host == "localhost":
        return
    try:
        ok = ipaddress.ip_address(host).is_loopback
    except ValueError:
        ok = False
    if not ok:
        raise ConfigError(f"ksafe serve listens on loopback only (127.0.0.1, ::1, localhost), "
                          f"not {host!r}")


@dataclass
class ServerStats:
    """What the server did, for tests: requests by model and faults by kind."""

    requests: int = 0
    answered: int = 0
    images_read: int = 0  # image parts recognised as a built-in sample's image
    faults: Counter[str] = field(default_factory=Counter)
    bodies: Counter[str] = field(default_factory=Counter)  # body hash -> times seen
    rate_limited: int = 0  # requests the token bucket answered 429
    in_flight: int = 0
    most_in_flight: int = 0  # how many requests a client kept open at once


class ReferenceServer:
    """The aiohttp application serving `ksafe/<name>` models."""

    def __init__(self, options: ServeOptions) -> None:
        self.options = options
        self.stats = ServerStats()
        self.models = {PREFIX + n: ReferenceModel(PREFIX + n) for n in ReferenceModel.NAMES}
        self.reader = ImageReader(options.dataset) if options.read_images else None
        self.bucket = TokenBucket(options.rate_limit, options.rate_burst) \
            if options.rate_limit else None
        self._closing = asyncio.Event()

    def app(self) -> web.Application:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_post("/v1/chat/completions", self.chat)
        app.router.add_get("/v1/models", self.list_models)
        app.on_shutdown.append(self._on_shutdown)
        return app

    async def _on_shutdown(self, app: web.Application) -> None:
        self._closing.set()
        if self.reader is not None:
            self.reader.close()

    async def list_models(self, request: web.Request) -> web.Response:
        return web.json_response({"object": "list", "data": [
            {"id": name, "object": "model", "owned_by": "ksafe"} for name in self.models]})

    def fault_for(self, body_hash: str, seen: int) -> str | None:
        opts = self.options
        if opts.fault_rate <= 0:
            return None
        roll = int(sha256_hex(f"{opts.seed}:{body_hash}:{seen}")[:12], 16)
        if (roll % 1_000_000) / 1_000_000 >= opts.fault_rate:
            return None
        return opts.faults[(roll // 1_000_000) % len(opts.faults)]

    async def chat(self, request: web.Request) -> web.StreamResponse:
        stats = self.stats
        stats.in_flight += 1
        stats.most_in_flight = max(stats.most_in_flight, stats.in_flight)
        try:
            return await self._chat(request)
        finally:
            stats.in_flight -= 1

    async def _chat(self, request: web.Request) -> web.StreamResponse:
        raw = await request.read()
        self.stats.requests += 1
        if self.bucket is None:
            return await self._answer(raw, request)
        # a provider counts a request when it arrives, and refuses at once when over
        admission = self.bucket.admit()
        if not admission.allowed:
            self.stats.rate_limited += 1
            return _error(429, "Rate limit reached for requests", "rate_limit_exceeded",
                          headers=admission.headers)
        response = await self._answer(raw, request)
        response.headers.update(admission.headers)
        return response

    async def _answer(self, raw: bytes, request: web.Request) -> web.StreamResponse:
        body_hash = sha256_hex(raw)
        seen = self.stats.bodies[body_hash]
        self.stats.bodies[body_hash] += 1
        if self.options.latency_ms:
            await asyncio.sleep(self.options.latency_ms / 1000.0)
        try:
            data = json.loads(raw)
            model_name = data["model"]
            text = user_text(data["messages"])
            png = user_image(data["messages"])
        except (ValueError, KeyError, TypeError) as exc:
            return _error(400, f"invalid request body: {exc}", "invalid_request_error")
        model = self.models.get(model_name)
        if model is None:
            return _error(404, f"The model '{model_name}' does not exist",
                          "model_not_found")
        fault = self.fault_for(body_hash, seen)
        if fault is not None:
            self.stats.faults[fault] += 1
            if fault == "reset":
                assert request.transport is not None
                request.transport.abort()  # the client sees the connection drop
            return await self._inject(fault, model_name)
        spec = None
        if png is not None and self.reader is not None:
            spec = await self.reader.recognise(text, png)
            if spec is not None:
                self.stats.images_read += 1
        answer = model.answer(Request("", model_name, text, spec))
        self.stats.answered += 1
        return web.json_response(_completion(model_name, answer, text))

    async def _inject(self, fault: str, model: str) -> web.StreamResponse:
        if fault == "429":
            wait = self.options.retry_after_s
            return _error(429, "Rate limit reached, please retry", "rate_limit_exceeded",
                          headers={"Retry-After": f"{wait:g}",
                                   "retry-after-ms": f"{wait * 1000:g}"})
        if fault == "filtered":
            return _error(400, "The response was filtered due to the prompt triggering the "
                          "content management policy.", "content_filter")
        if fault == "quota":
            return _error(429, "You exceeded your current quota, please check your plan and "
                          "billing details.", "insufficient_quota")
        if fault in ("500", "503"):
            return _error(int(fault), "injected server error", "server_error")
        if fault == "timeout":
            with suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), self.options.stall_s)
            return _error(504, "stalled", "timeout")
        if fault == "malformed":
            return web.Response(text='{"id": "chatcmpl-x", "choices": [', status=200,
                                content_type="application/json")
        if fault == "empty":
            return web.json_response(_completion(model, "", ""))
        if fault == "reset":
            return web.Response(status=500)  # never reaches the client
        body = _completion(model, "unused", "")
        del body["choices"]  # "missing"
        return web.json_response(body)


def user_text(messages: Any) -> str:
    """The text of the last user turn; image parts are skipped (see the module docstring)."""
    if not isinstance(messages, list):
        raise TypeError("messages is not a list")
    for message in reversed(messages):
        if isinstance(message, dict) and message.get("role") == "user":
            content = message.get("content")
            if isinstance(content, str):
                return content
            if isinstance(content, list):
                return "\n".join(p["text"] for p in content
                                 if isinstance(p, dict) and p.get("type") == "text"
                                 and isinstance(p.get("text"), str))
            raise TypeError("user content is neither text nor a list of parts")
    raise KeyError("no user message")


def user_image(messages: Any) -> bytes | None:
    """The bytes of the first `data:` image part of the last user turn, if any."""
    for message in reversed(messages):
        if isinstance(message, dict) and message.get("role") == "user":
            content = message.get("content")
            for part in content if isinstance(content, list) else ():
                url = part.get("image_url", {}) if isinstance(part, dict) else {}
                url = url.get("url", "") if isinstance(url, dict) else url
                if isinstance(url, str) and url.startswith("data:") and "," in url:
                    try:
                        return base64.b64decode(url.split(",", 1)[1], validate=True)
                    except binascii.Error as exc:
                        raise ValueError(f"image part is not base64: {exc}") from None
            return None
    return None


class ImageReader:
    """Reads the words on an image the way the offline model does, for a dataset's samples.

    The server gets pixels, not the spec. When the request's text is a sample's, that
    sample's image is rendered or read (once, off the event loop) and compared byte for
    byte with the image received; only on an exact match does the model see the spec, so
    it answers as the offline `ksafe/<name>` would. Any other image is ignored and the
    answer comes from the text alone. `dataset`: a dataset path (`ksafe serve --dataset`),
    loaded now so that a bad file fails at start; None: the built-in samples (ko and ja).
    """

    def __init__(self, dataset: str | None = None) -> None:
        self._by_text: dict[str, list[ImageSpec]] | None = None
        if dataset is not None:
            from ksafe_pytest.dataset import load_dataset

            self._by_text = _by_text(load_dataset(dataset))
        self._digests: dict[str, str] = {}  # spec key -> sha256 of its PNG
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="ksafe-serve-images")

    def _index(self) -> dict[str, list[ImageSpec]]:
        if self._by_text is None:
            from ksafe_pytest.dataset.loader import builtin_path, load_jsonl

            self._by_text = _by_text(sample for locale in ("ko", "ja")
                                     if (path := builtin_path(locale)).exists()
                                     for sample in load_jsonl(path))
        return self._by_text

    def _match(self, text: str, digest: str) -> ImageSpec | None:
        from ksafe_pytest.dataset.images import render_png

        for spec in self._index().get(text, ()):
            key = spec.key
            if key not in self._digests:
                try:
                    self._digests[key] = sha256_hex(render_png(spec))
                except Exception:  # an image that cannot be drawn here cannot match
                    self._digests[key] = ""
            if self._digests[key] == digest:
                return spec
        return None

    async def recognise(self, text: str, png: bytes) -> ImageSpec | None:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, self._match, text, sha256_hex(png))

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def _by_text(samples: Iterable[Sample]) -> dict[str, list[ImageSpec]]:
    by_text: dict[str, list[ImageSpec]] = {}
    for sample in samples:
        by_text.setdefault(sample.text, []).append(sample.image)
    return by_text


def _completion(model: str, answer: str, prompt: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-" + sha256_hex(prompt + answer)[:24],
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": answer}}],
        # a rough count is enough for usage reports: about 1 token per 2 Korean characters
        "usage": {"prompt_tokens": len(prompt) // 2 + 1, "completion_tokens": len(answer) // 2,
                  "total_tokens": len(prompt) // 2 + 1 + len(answer) // 2},
    }


def _error(status: int, message: str, code: str,
           headers: dict[str, str] | None = None) -> web.Response:
    return web.json_response({"error": {"message": message, "type": code, "code": code}},
                             status=status, headers=headers)


@asynccontextmanager
async def running_server(options: ServeOptions | None = None
                         ) -> AsyncIterator[tuple[str, ReferenceServer]]:
    """Serve in the current event loop; yields (base URL ending in /v1, server)."""
    options = options or ServeOptions()
    server = ReferenceServer(options)
    runner = web.AppRunner(server.app(), access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    site = web.TCPSite(runner, options.host, options.port, backlog=options.backlog)
    await site.start()
    try:
        host, port = runner.addresses[0][:2]
        host = f"[{host}]" if ":" in host else host
        yield f"http://{host}:{port}/v1", server
    finally:
        server._closing.set()
        await runner.cleanup()


@contextmanager
def serve_in_thread(options: ServeOptions | None = None
                    ) -> Iterator[tuple[str, ReferenceServer]]:
    """Serve from a background thread with its own event loop (for synchronous tests)."""
    loop = asyncio.new_event_loop()
    started: dict[str, Any] = {}
    ready = threading.Event()
    stop: asyncio.Event | None = None

    async def main() -> None:
        nonlocal stop
        stop = asyncio.Event()
        try:
            async with running_server(options) as (url, server):
                started["url"], started["server"] = url, server
                ready.set()
                await stop.wait()
        except BaseException as exc:
            started["error"] = exc
            ready.set()
            raise

    thread = threading.Thread(target=lambda: loop.run_until_complete(main()),
                              name="ksafe-serve", daemon=True)
    thread.start()
    ready.wait(30)
    if "error" in started:
        thread.join(5)
        raise started["error"]
    try:
        yield started["url"], started["server"]
    finally:
        assert stop is not None
        loop.call_soon_threadsafe(stop.set)
        thread.join(10)
        loop.close()


async def serve_forever(options: ServeOptions, announce: Any = print) -> None:
    """Run until cancelled (Ctrl-C), after announcing the bound URL."""
    async with running_server(options) as (url, _):
        announce(url)
        await asyncio.Event().wait()
