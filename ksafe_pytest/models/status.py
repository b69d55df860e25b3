"""One table from an HTTP status to a typed error, for every transport.

The direct client reads the status off the wire; litellm's exceptions carry it. Both ask
here, so a 429, a 5xx or a 401 means the same thing whichever transport saw it.
"""

from __future__ import annotations

from ksafe_pytest.records import ErrorKind, ModelError

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
