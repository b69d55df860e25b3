"""What every model client offers: one async call from Request to Response."""

from __future__ import annotations

from typing import Protocol

from ksafe_pytest.records import Request, Response


class ModelClient(Protocol):
    """A client never raises for a failed call: it returns a Response with a typed error,
    marked retryable where a retry may help (429, 5xx, timeouts, connection resets)."""

    model: str

    async def complete(self, request: Request) -> Response: ...

    async def aclose(self) -> None: ...
