"""One table from an HTTP status to a typed error, for every transport.

The direct client reads the status off the wire; litellm's exceptions carry it. Both ask
here, so a 429, a 5xx or a 401 means the same thing whichever transport saw it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from datetime import datetime

from ksafe_pytest.records import ErrorKind, ModelError, RateHeaders

# status -> (kind, what it means, worth a retry); 5xx and other 4xx are ranges below
STATUS_TABLE: dict[int, tuple[ErrorKind, str, bool]] = {
    408: (ErrorKind.TIMEOUT, "request timeout", True),
    429: (ErrorKind.RATE_LIMIT, "rate limited", True),
    401: (ErrorKind.CLIENT, "authentication failed: check the API key", False),
    403: (ErrorKind.CLIENT, "access denied: check the API key and its permissions", False),
    404: (ErrorKind.CLIENT, "not found: check the model name and the API base URL", False),
}
SERVER = (ErrorKind.SERVER, "server error", True)
REJECTED = (ErrorKind.CLIENT, "request rejected", False)


def status_error(status: int, detail: str = "", retry_after: float | None = None
                 ) -> ModelError:
    """The typed error of a non-2xx status; `detail` (": text" or "") ends the message.
    A retry-worthy error keeps the server's Retry-After; a quota 429 or a content-filter
    400 is decided by the caller before this table (they need the body)."""
    kind, what, retryable = STATUS_TABLE.get(status) or (SERVER if status >= 500
                                                        else REJECTED)
    return ModelError(kind, f"{what} (HTTP {status}){detail}", status, retryable=retryable,
                      retry_after=retry_after if retryable else None)


# `x-ratelimit-remaining-requests` (OpenAI and most gateways), `anthropic-ratelimit-
# requests-remaining`; litellm passes them on, also prefixed `llm_provider-`
RATE_NAMES = {
    "remaining": ("x-ratelimit-remaining-requests", "anthropic-ratelimit-requests-remaining"),
    "limit": ("x-ratelimit-limit-requests", "anthropic-ratelimit-requests-limit"),
    "reset": ("x-ratelimit-reset-requests", "anthropic-ratelimit-requests-reset"),
}
_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ms|h|m|s)")
_UNIT = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_duration(text: str, now: float | None = None) -> float | None:
    """Seconds from `1.5`, `250ms`, `6m0s` (OpenAI), or an RFC 3339 time (Anthropic)."""
    text = text.strip()
    try:
        return max(float(text), 0.0)
    except ValueError:
        pass
    parts = _DURATION.findall(text)
    if parts and "".join(n + u for n, u in parts) == text:
        return sum(float(n) * _UNIT[u] for n, u in parts)
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        return None
    return max(when.timestamp() - (time.time() if now is None else now), 0.0)


def parse_rate_headers(headers: Mapping[str, str]) -> RateHeaders | None:
    """The request-rate headers of an answer or a 429, or None when it has none."""
    found: dict[str, str] = {}
    for key, value in headers.items():
        name = str(key).lower().removeprefix("llm_provider-")
        for field, names in RATE_NAMES.items():
            if name in names:
                found[field] = str(value)
    if not found:
        return None
    remaining, limit = _number(found.get("remaining")), _number(found.get("limit"))
    reset = parse_duration(found["reset"]) if "reset" in found else None
    return RateHeaders(remaining, limit, reset)


def _number(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value >= 0 and value == value else None
