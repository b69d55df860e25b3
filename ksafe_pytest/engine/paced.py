"""A judge model's client with its own adaptive limit.

The LLM judge calls its model directly; wrapped here, those calls get what the model under
test gets: a window of calls in flight that adapts to the provider, Retry-After honoured
for every call, and 429s waited out (up to `rate_limit_wait_s`) instead of turning into
judge errors. Any other error comes back at once, as before: the judge decides.
"""

from __future__ import annotations

from dataclasses import replace

from ksafe_pytest.engine.adaptive import AdaptiveLimit, LimitStats
from ksafe_pytest.engine.runner import RunSettings, call_with_retries
from ksafe_pytest.models.base import ModelClient
from ksafe_pytest.records import Request, Response


class PacedClient:
    def __init__(self, client: ModelClient, settings: RunSettings) -> None:
        self.client = client
        self.model = client.model
        self.settings = replace(settings, retries=0)
        self.limit = AdaptiveLimit(settings.concurrency, adaptive=settings.adaptive)

    def missing_key(self) -> str | None:
        missing = getattr(self.client, "missing_key", None)
        return missing() if callable(missing) else None

    async def complete(self, request: Request) -> Response:
        return await call_with_retries(self.client, request, self.settings, limit=self.limit)

    async def aclose(self) -> None:
        await self.client.aclose()

    def stats(self) -> LimitStats:
        return self.limit.stats(self.model, "judge")
