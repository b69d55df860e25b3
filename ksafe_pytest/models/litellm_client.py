"""Any provider litellm knows (`openai/...`, `anthropic/...`, `gemini/...`, ...).

litellm is imported lazily, only by a run that needs it: its import costs ~3.5 s and
~200 MB, and it reaches for the network at import unless told to stay offline first.
Retries are ours (`num_retries=0`), so Retry-After, the retry cap and the error report are
the same for every transport. Exceptions are classified by litellm's type hierarchy and
status code into the same `ModelError`s the direct HTTP client gives.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ksafe_pytest.errors import ModelSetupError
from ksafe_pytest.models.base import answer
from ksafe_pytest.models.http_client import (
    MAX_MESSAGE,
    filtered_prompt_error,
    is_quota_exhausted,
    parse_retry_after,
    quota_error,
)
from ksafe_pytest.models.image_parts import ImageURLs
from ksafe_pytest.models.status import parse_rate_headers, status_error
from ksafe_pytest.records import ErrorKind, ModelError, RateHeaders, Request, Response, Usage

if TYPE_CHECKING:
    from types import ModuleType

    from ksafe_pytest.dataset.images import ImageCache
    from ksafe_pytest.models.base import ClientSettings

OFFLINE_ENV = {
    "LITELLM_OFFLINE_MODE": "true",
    "LITELLM_LOCAL_MODEL_COST_MAP": "True",
    "LITELLM_LOG": "ERROR",
    "HF_HUB_OFFLINE": "1",
}
# A placeholder for OpenAI-compatible endpoints that take no key: the OpenAI SDK under
# litellm refuses to send a request without one.
NO_KEY = "ksafe-no-key"
# marks the zero-priced cost-map entry we give a model litellm cannot price
UNPRICED_MARK = "ksafe_unpriced"


def import_litellm() -> ModuleType:
    """Import litellm quietly and offline; a missing extra is one clear setup error."""
    for name, value in OFFLINE_ENV.items():
        os.environ.setdefault(name, value)
    try:
        import litellm
    except ImportError:
        raise ModelSetupError(
            'live provider models need litellm: pip install "ksafe-pytest[llm]" '
            "(or pass --ksafe-api-base to use the direct OpenAI-compatible client)") from None
    litellm.suppress_debug_info = True
    # httpx under the OpenAI SDK, not litellm's aiohttp bridge: measured against
    # `ksafe serve`, the bridge's extra event-loop work left each call queueing ~20 ms
    # behind the others at concurrency 16 (0.67 of the limit against 0.80 without it)
    litellm.disable_aiohttp_transport = True
    return litellm


def knows_price(litellm: ModuleType, model: str) -> bool:
    """Whether litellm's (offline) cost map prices this model (our own zero-priced
    stand-in does not count)."""
    entry = litellm.model_cost.get(model)
    if isinstance(entry, dict) and entry.get(UNPRICED_MARK):
        return False
    try:
        info = litellm.get_model_info(model)
    except Exception:  # not mapped
        return False
    return any(info.get(k) is not None for k in ("input_cost_per_token",
                                                  "output_cost_per_token"))


def register_unpriced(litellm: ModuleType, model: str) -> None:
    """Give an unmapped model a zero-priced entry, so litellm's per-call pricing is a
    plain lookup instead of a search through its fallback generalizations and zero-cost
    diagnostics (~1 ms of event-loop CPU per call). Its cost is reported as unknown by
    the caller, never as 0."""
    try:
        provider = litellm.get_llm_provider(model)[1]
        litellm.register_model({model: {"litellm_provider": provider, "mode": "chat",
                                        "input_cost_per_token": 0.0,
                                        "output_cost_per_token": 0.0,
                                        UNPRICED_MARK: True}},
                               add_to_provider_model_sets=False)
    except Exception:  # an unknown provider: the probe request will say so
        return


def classify(exc: BaseException) -> ModelError:
    """The typed error of a litellm exception: by class first, then by status code."""
    import litellm

    message = _message(exc)
    status = _status(exc)
    headers = _headers(exc)
    retry_after = parse_retry_after(headers) if headers else None
    if (isinstance(exc, litellm.RateLimitError) or status == 429) and is_quota_exhausted(
            message):
        return quota_error(f": {message}")
    if isinstance(exc, litellm.ContentPolicyViolationError) or (
            status == 400 and ("content_filter" in message
                               or getattr(exc, "code", None) == "content_filter")):
        return filtered_prompt_error(f": {message}")
    if isinstance(exc, litellm.Timeout | TimeoutError):
        return ModelError(ErrorKind.TIMEOUT, f"timeout: {message}", status, True, retry_after)
    # litellm's classes stand for a status when the exception lacks one
    for cls, implied in ((litellm.RateLimitError, 429), (litellm.AuthenticationError, 401),
                         (litellm.PermissionDeniedError, 403), (litellm.NotFoundError, 404)):
        if isinstance(exc, cls):
            return status_error(status or implied, f": {message}", retry_after)
    if isinstance(exc, litellm.BadRequestError | litellm.UnprocessableEntityError):
        return ModelError(ErrorKind.CLIENT, f"request rejected (HTTP {status}): {message}",
                          status)
    if isinstance(exc, litellm.APIResponseValidationError):
        return ModelError(ErrorKind.BAD_RESPONSE, f"malformed answer: {message}", status,
                          True)
    if isinstance(exc, litellm.InternalServerError) and any(
            m in message for m in ("Expecting value", "JSONDecodeError", "no 'choices'")):
        return ModelError(ErrorKind.BAD_RESPONSE, f"malformed answer: {message}", status,
                          True)
    if _is_connection(exc, message):
        # litellm reports a refused connection as InternalServerError or APIConnectionError
        return ModelError(ErrorKind.CONNECTION, f"connection failed: {message}", None, True)
    if isinstance(exc, litellm.ServiceUnavailableError | litellm.BadGatewayError
                  | litellm.InternalServerError):
        return status_error(status if status and status >= 500 else 500, f": {message}",
                            retry_after)
    if status is not None and 400 <= status < 600:
        return status_error(status, f": {message}", retry_after)
    if isinstance(exc, litellm.APIError | ValueError | KeyError | TypeError):
        # e.g. an answer that is not JSON or lacks fields, surfaced without a status
        return ModelError(ErrorKind.BAD_RESPONSE, f"malformed answer: {message}", status,
                          True)
    return ModelError(ErrorKind.INTERNAL, f"{type(exc).__name__}: {message}", status)


def _is_connection(exc: BaseException, message: str) -> bool:
    import litellm

    if isinstance(exc, litellm.APIConnectionError | ConnectionError):
        return True
    lowered = message.lower()
    return isinstance(exc, litellm.InternalServerError) and (
        "connection error" in lowered or "connection refused" in lowered
        or "cannot connect" in lowered)


def _status(exc: BaseException) -> int | None:
    status = getattr(exc, "status_code", None)
    return status if isinstance(status, int) else None


def _headers(exc: BaseException) -> Mapping[str, str]:
    headers = getattr(exc, "litellm_response_headers", None)
    if headers is None:
        response = getattr(exc, "response", None)
        headers = getattr(response, "headers", None)
    try:
        return {str(k).lower(): str(v) for k, v in dict(headers or {}).items()}
    except (TypeError, ValueError):
        return {}


def _message(exc: BaseException) -> str:
    text = str(getattr(exc, "message", "") or exc)
    return " ".join(text.split())[:MAX_MESSAGE]


class LiteLLMClient:
    """`litellm.acompletion` for one model; never raises for a failed call."""

    def __init__(self, model: str, settings: ClientSettings, *,
                 images: ImageCache | None = None) -> None:
        self.model = model
        self.settings = settings
        self.litellm = import_litellm()
        self._priced = knows_price(self.litellm, model)
        if not self._priced:
            register_unpriced(self.litellm, model)
        self._image_urls = ImageURLs(images, settings.image_dir)

    @property
    def _key(self) -> str | None:
        if self.settings.api_key_env:
            return os.environ.get(self.settings.api_key_env) or None
        if self.settings.api_base:
            return os.environ.get("OPENAI_API_KEY") or NO_KEY
        return None  # litellm finds the provider's own variable

    def missing_key(self) -> str | None:
        """Why no key can be found for this model, before any request is sent."""
        if self.settings.api_key_env:
            if not os.environ.get(self.settings.api_key_env):
                return (f"the API key variable {self.settings.api_key_env} is not set "
                        f"(model {self.model!r})")
            return None
        if self.settings.api_base:
            return None
        try:
            check = self.litellm.validate_environment(model=self.model)
        except Exception:  # an unknown provider: the probe request will say so
            return None
        missing = [k for k in check.get("missing_keys", []) if k.endswith("_KEY")]
        if missing:
            return (f"model {self.model!r} needs the environment variable "
                    f"{' or '.join(missing)} (not set)")
        return None

    def _scrub(self, text: str) -> str:
        for secret in {self._key or "", *(os.environ.get(v, "") for v in _key_vars())}:
            if secret and len(secret) >= 8 and secret != NO_KEY:
                text = text.replace(secret, "***")
        return text

    async def _image_url(self, request: Request) -> str | None:
        return None if request.image is None else await self._image_urls.url(request.image)

    async def complete(self, request: Request) -> Response:
        from ksafe_pytest.models.http_client import chat_payload

        start = time.perf_counter()
        try:
            body = chat_payload(request, await self._image_url(request))
        except Exception as exc:
            return self._fail(request, start, ModelError(
                ErrorKind.INTERNAL, f"cannot prepare the request: {exc}"))
        kwargs: dict[str, Any] = {k: v for k, v in body.items() if k != "model"}
        kwargs.update(model=self.model, num_retries=0, timeout=self.settings.timeout_s,
                      drop_params=True)
        if self.settings.api_base:
            kwargs["api_base"] = self.settings.api_base
        key = self._key
        if key:
            kwargs["api_key"] = key
        try:
            result = await self.litellm.acompletion(**kwargs)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            headers = _headers(exc)
            return self._fail(request, start, classify(exc),
                              parse_rate_headers(headers) if headers else None)
        return self._response(request, start, result)

    def _response(self, request: Request, start: float, result: Any) -> Response:
        latency = time.perf_counter() - start
        try:
            choice = result.choices[0]
            text = choice.message.content or ""
            finish = str(choice.finish_reason or "")
        except (AttributeError, IndexError, TypeError) as exc:
            return self._fail(request, start, ModelError(
                ErrorKind.BAD_RESPONSE, f"malformed answer: {exc}", retryable=True))
        if not isinstance(text, str):
            return self._fail(request, start, ModelError(
                ErrorKind.BAD_RESPONSE, "malformed answer: content is not text",
                retryable=True))
        return answer(request, self.model, text, finish, self._usage(result), latency,
                      rate=_rate(result))

    def _usage(self, result: Any) -> Usage:
        usage = getattr(result, "usage", None)
        prompt = getattr(usage, "prompt_tokens", 0) or 0
        completion = getattr(usage, "completion_tokens", 0) or 0
        cost: float | None = None
        if not self._priced:
            return Usage(int(prompt), int(completion), None)
        hidden = getattr(result, "_hidden_params", None) or {}
        if isinstance(hidden, dict) and "response_cost" in hidden:
            # litellm priced it already (None: it does not know the price); pricing again
            # would cost ~1 ms of CPU per call
            value = hidden["response_cost"]
            cost = float(value) if isinstance(value, int | float) else None
        else:
            try:
                cost = float(self.litellm.completion_cost(completion_response=result))
            except Exception:  # price unknown to litellm: report tokens only
                cost = None
        return Usage(int(prompt), int(completion), cost)

    def _fail(self, request: Request, start: float, error: ModelError,
              rate: RateHeaders | None = None) -> Response:
        error = ModelError(error.kind, self._scrub(error.message), error.status,
                           error.retryable, error.retry_after)
        return Response(request.sample_id, self.model, latency_s=time.perf_counter() - start,
                        error=error, rate=rate)

    async def aclose(self) -> None:
        self._image_urls.close()


def _rate(result: Any) -> RateHeaders | None:
    """The provider's rate-limit headers, which litellm passes on with an answer."""
    hidden = getattr(result, "_hidden_params", None)
    headers = hidden.get("additional_headers") if isinstance(hidden, dict) else None
    return parse_rate_headers(headers) if isinstance(headers, dict) else None


def _key_vars() -> list[str]:
    return [name for name in os.environ if name.endswith("_API_KEY")]
