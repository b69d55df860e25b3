"""A provider's request-rate limit for `ksafe serve`: a token bucket with the headers
providers send, so the engine's adaptive concurrency can be tested and measured on loopback.

Like OpenAI's: `capacity` requests at most, refilled continuously at `rate` per second;
each request takes a token when it arrives; with none left it is answered 429 at once, with
`Retry-After` (whole seconds), `retry-after-ms` and the `x-ratelimit-*` headers; answers
carry them too. `x-ratelimit-reset-requests` is the time until the bucket is full again.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from ksafe_pytest.errors import ConfigError


@dataclass(frozen=True)
class Admission:
    allowed: bool
    headers: dict[str, str]


def go_duration(seconds: float) -> str:
    """OpenAI's reset format: `250ms`, `1.5s`, `2m3s`."""
    if seconds < 1.0:
        return f"{max(0, math.ceil(seconds * 1000))}ms"
    minutes, rest = divmod(seconds, 60.0)
    return (f"{int(minutes)}m" if minutes else "") + f"{rest:.3g}s"


class TokenBucket:
    def __init__(self, rate: float, capacity: float | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if not rate > 0:
            raise ConfigError(f"--rate-limit must be a positive number of requests per "
                              f"second, got {rate}")
        self.rate = float(rate)
        # default: one second of requests, at least one
        self.capacity = float(capacity) if capacity else max(1.0, self.rate)
        if self.capacity < 1:
            raise ConfigError(f"--rate-burst must be at least 1, got {capacity}")
        self._clock = clock
        self._tokens = self.capacity
        self._last = clock()

    def admit(self) -> Admission:
        now = self._clock()
        self._tokens = min(self.capacity, self._tokens + (now - self._last) * self.rate)
        self._last = now
        allowed = self._tokens >= 1.0
        if allowed:
            self._tokens -= 1.0
        headers = {
            "x-ratelimit-limit-requests": f"{self.capacity:g}",
            "x-ratelimit-remaining-requests": str(int(self._tokens)),
            "x-ratelimit-reset-requests": go_duration(
                (self.capacity - self._tokens) / self.rate),
        }
        if not allowed:
            wait = (1.0 - self._tokens) / self.rate
            headers["retry-after-ms"] = str(max(1, math.ceil(wait * 1000)))
            headers["Retry-After"] = str(max(1, math.ceil(wait)))
        return Admission(allowed, headers)
