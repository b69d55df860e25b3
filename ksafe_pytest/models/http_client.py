"""Direct OpenAI-compatible chat-completions client on aiohttp.

Used for `--ksafe-api-base` endpoints (vLLM, llama.cpp, `ksafe serve`, a gateway) when
litellm is not needed: litellm costs ~5 ms CPU per call, aiohttp well under 1 ms. One
session per client with a connection pool sized to the concurrency; aiohttp sets
TCP_NODELAY on every connection, so small requests are not held by delayed ACKs.

It never raises for a failed call: every failure becomes a typed `ModelError`, marked
retryable where a retry may help. The API key lives only in the Authorization header: it
is scrubbed from every message that could reach a cache, a report or a log.
"""

from __future__ import annotations

import email.utils
import json
import os
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ksafe_pytest.models.base import FILTER_MESSAGE, answer
from ksafe_pytest.models.image_parts import ImageURLs
from ksafe_pytest.models.status import parse_rate_headers, status_error
from ksafe_pytest.records import ErrorKind, ModelError, RateHeaders, Request, Response, Usage

if TYPE_CHECKING:
    import aiohttp

    from ksafe_pytest.dataset.images import ImageCache
    from ksafe_pytest.models.base import ClientSettings

DEFAULT_KEY_ENV = "OPENAI_API_KEY"
MAX_MESSAGE = 300  # characters of a server's error text kept in a message


def parse_retry_after(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds to wait from `retry-after-ms`, or `Retry-After` as seconds or an HTTP date."""
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            return max(float(ms) / 1000.0, 0.0)
        except ValueError:
            pass
    value = headers.get("Retry-After") or headers.get("retry-after")
    if not value:
        return None
    value = value.strip()
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(when.timestamp() - (time.time() if now is None else now), 0.0)


def chat_payload(request: Request, image_url: str | None) -> dict[str, Any]:
    """The chat-completions body: one user turn, text plus the image as a data URL part
    (after the request's system turn, if it has one)."""
    content: str | list[dict[str, Any]]
    if image_url is None:
        content = request.text
    else:
        content = [
            {"type": "text", "text": request.text},
            {"type": "image_url", "image_url": {"url": image_url}},
        ]
    system = [{"role": "system", "content": request.system}] if request.system else []
    body: dict[str, Any] = {"model": request.model,
                            "messages": [*system, {"role": "user", "content": content}]}
    for name, value in request.params.items():
        if value is not None:
            body[name] = value
    return body


def parse_completion(data: Any) -> tuple[str, str, Usage]:
    """(text, finish_reason, usage) of a chat-completions body; ValueError when malformed."""
    if not isinstance(data, dict):
        raise ValueError("the body is not a JSON object")
    choices = data.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise ValueError("no 'choices' in the answer")
    message = choices[0].get("message")
    if not isinstance(message, dict):
        raise ValueError("no 'choices[0].message' in the answer")
    if "content" not in message and "refusal" not in message:
        raise ValueError("no 'choices[0].message.content' in the answer")
    content = message.get("content")
    if isinstance(content, list):  # some servers answer in parts
        content = "".join(p.get("text", "") for p in content
                          if isinstance(p, dict) and isinstance(p.get("text"), str))
    if content is not None and not isinstance(content, str):
        raise ValueError("'choices[0].message.content' is not text")
    text = content or ""
    refusal = message.get("refusal")
    if not text.strip() and isinstance(refusal, str):
        text = refusal  # OpenAI's structured refusal: an answer, not an empty reply
    finish = choices[0].get("finish_reason") or ""
    usage_data = data.get("usage") if isinstance(data.get("usage"), dict) else {}
    assert isinstance(usage_data, dict)
    usage = Usage(prompt_tokens=_int(usage_data.get("prompt_tokens")),
                  completion_tokens=_int(usage_data.get("completion_tokens")))
    return text, str(finish), usage


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


# What a provider says when the account, not the moment, is the problem (OpenAI's 429
# `insufficient_quota`): waiting and retrying cannot help.
QUOTA_MARKS = ("insufficient_quota", "exceeded your current quota", "check your plan and billing")


def is_quota_exhausted(text: str) -> bool:
    lowered = text.lower()
    return any(mark in lowered for mark in QUOTA_MARKS)


def quota_error(detail: str) -> ModelError:
    return ModelError(ErrorKind.QUOTA, "quota exhausted: check the plan and billing of this "
                      f"API key (HTTP 429){detail}", 429)


def filtered_prompt_error(detail: str) -> ModelError:
    """The provider's content filter refused the prompt (Azure OpenAI: HTTP 400)."""
    return ModelError(ErrorKind.FILTERED, f"{FILTER_MESSAGE} (the prompt, HTTP 400){detail}",
                      400)


def error_for_status(status: int, body: str, retry_after: float | None) -> ModelError:
    """The typed error of a non-2xx answer: the body decides a used-up quota (429) and a
    content-filter block (400), the shared status table everything else."""
    detail = _error_detail(body)
    if status == 429 and is_quota_exhausted(body):
        return quota_error(detail)
    if status == 400 and "content_filter" in body:  # Azure OpenAI's prompt filter
        return filtered_prompt_error(detail)
    return status_error(status, detail, retry_after)


def _error_detail(body: str) -> str:
    text = body.strip()
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict):
        err = data.get("error", data)
        msg = err.get("message") if isinstance(err, dict) else err
        if isinstance(msg, str):
            text = msg
    text = " ".join(text.split())[:MAX_MESSAGE]
    return f": {text}" if text else ""


class OpenAIHTTPClient:
    """`POST {api_base}/chat/completions` for one model, with its own aiohttp session."""

    def __init__(self, model: str, settings: ClientSettings, *, concurrency: int | None = None,
                 images: ImageCache | None = None) -> None:
        from ksafe_pytest.errors import ModelSetupError

        if not settings.api_base:
            raise ModelSetupError(f"model {model!r}: the direct HTTP transport needs an API "
                                  "base URL (--ksafe-api-base)")
        self.model = model
        self.settings = settings
        self.url = settings.api_base.rstrip("/") + "/chat/completions"
        self.key_env = settings.api_key_env or DEFAULT_KEY_ENV
        self.concurrency = max(1, concurrency or settings.concurrency)
        self._session: aiohttp.ClientSession | None = None
        self._image_urls = ImageURLs(images, settings.image_dir)

    @property
    def _key(self) -> str:
        return os.environ.get(self.key_env, "")

    def missing_key(self) -> str | None:
        """Why the key is missing, when the user named a key variable that is not set.

        Without a named variable the key is optional: local servers need none.
        """
        if self.settings.api_key_env and not self._key:
            return (f"the API key variable {self.settings.api_key_env} is not set "
                    f"(model {self.model!r})")
        return None

    def _headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/json"}
        key = self._key
        if key:
            headers["Authorization"] = f"Bearer {key}"
        return headers

    def _scrub(self, message: str) -> str:
        key = self._key
        return message.replace(key, "***") if key and len(key) >= 4 else message

    def _get_session(self) -> aiohttp.ClientSession:
        import aiohttp

        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self.concurrency, limit_per_host=0,
                                             ttl_dns_cache=300)
            self._session = aiohttp.ClientSession(
                connector=connector,
                timeout=aiohttp.ClientTimeout(total=self.settings.timeout_s),
                json_serialize=lambda v: json.dumps(v, ensure_ascii=False),
            )
        return self._session

    async def _image_url(self, request: Request) -> str | None:
        return None if request.image is None else await self._image_urls.url(request.image)

    def _fail(self, request: Request, start: float, error: ModelError,
              rate: RateHeaders | None = None) -> Response:
        error = ModelError(error.kind, self._scrub(error.message), error.status,
                           error.retryable, error.retry_after)
        return Response(request.sample_id, self.model, latency_s=time.perf_counter() - start,
                        error=error, rate=rate)

    async def complete(self, request: Request) -> Response:
        import aiohttp

        start = time.perf_counter()
        try:
            payload = chat_payload(request, await self._image_url(request))
        except Exception as exc:  # a broken image is this sample's error, not the batch's
            return self._fail(request, start, ModelError(
                ErrorKind.INTERNAL, f"cannot prepare the request: {exc}"))
        session = self._get_session()
        try:
            async with session.post(self.url, json=payload, headers=self._headers()) as resp:
                raw = await resp.read()
                status = resp.status
                retry_after = parse_retry_after(resp.headers)
                rate = parse_rate_headers(resp.headers)
        except (TimeoutError, aiohttp.ServerTimeoutError):
            return self._fail(request, start, ModelError(
                ErrorKind.TIMEOUT, f"no answer within {self.settings.timeout_s:g} s",
                retryable=True))
        except aiohttp.InvalidURL as exc:
            return self._fail(request, start, ModelError(
                ErrorKind.CLIENT, f"invalid API base URL: {exc}"))
        except (aiohttp.ClientError, OSError) as exc:
            return self._fail(request, start, ModelError(
                ErrorKind.CONNECTION, f"connection failed to {self.url}: "
                f"{type(exc).__name__}: {exc}", retryable=True))
        body = raw.decode("utf-8", errors="replace")
        if not 200 <= status < 300:
            return self._fail(request, start, error_for_status(status, body, retry_after),
                              rate)
        try:
            text, finish, usage = parse_completion(json.loads(body))
        except ValueError as exc:  # json.JSONDecodeError is a ValueError
            return self._fail(request, start, ModelError(
                ErrorKind.BAD_RESPONSE, f"malformed answer (HTTP {status}): {exc}", status,
                retryable=True), rate)
        return answer(request, self.model, text, finish, usage,
                      time.perf_counter() - start, status, rate)

    async def aclose(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None
        self._image_urls.close()
