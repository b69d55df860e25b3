"""What every model client offers: one async call from Request to Response."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ksafe_pytest.records import ErrorKind, ModelError, RateHeaders, Request, Response, Usage
from ksafe_pytest.untrusted import repair


@dataclass(frozen=True)
class ClientSettings:
    api_base: str | None = None
    api_key_env: str | None = None  # name of the env var holding the key, never the key
    timeout_s: float = 60.0
    transport: str = "auto"  # auto | http | litellm
    concurrency: int = 64  # calls in flight: sizes the HTTP client's connection pool
    image_dir: str | None = None  # keep rendered PNGs here (e.g. <cache>/images) for re-runs


class ModelClient(Protocol):
    """A client never raises for a failed call: it returns a Response with a typed error,
    marked retryable where a retry may help (429, 5xx, timeouts, connection resets)."""

    model: str

    async def complete(self, request: Request) -> Response: ...

    async def aclose(self) -> None: ...


FILTER_MESSAGE = "blocked by the provider's content filter"


def answer(request: Request, model: str, text: str, finish: str, usage: Usage,
           latency_s: float, status: int | None = None,
           rate: RateHeaders | None = None) -> Response:
    """An answer as both transports return it: an empty text is an EMPTY error (retried),
    or a FILTERED one when the provider's content filter blocked it; never an answer and
    never a refusal by itself."""
    if not text.strip():
        if finish == "content_filter":
            error = ModelError(ErrorKind.FILTERED, f"{FILTER_MESSAGE} (the answer)", status)
        else:
            error = ModelError(ErrorKind.EMPTY, "the model returned no text (finish_reason="
                               f"{finish or 'none'})", status, retryable=True)
        return Response(request.sample_id, model, finish_reason=finish, usage=usage,
                        latency_s=latency_s, error=error, rate=rate)
    text, repaired = repair(text)  # a lone surrogate would break every file it reaches
    return Response(request.sample_id, model, text=text, finish_reason=finish, usage=usage,
                    latency_s=latency_s, repaired=repaired, rate=rate)
