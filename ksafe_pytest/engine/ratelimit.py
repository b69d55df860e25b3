"""Requests-per-minute limit for model calls (`--ksafe-rpm`), shared by one model's pool.

A token bucket in its scheduling form (GCRA): each call reserves the next free slot
`60 / rpm` seconds after the previous one, with a burst allowance, then sleeps until its
slot. Reservation happens before any await, so concurrent callers on one event loop never
race and are served in arrival order, without a polling loop.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from ksafe_pytest.errors import ConfigError


class RateLimiter:
    """At most `rpm` calls per minute on average, at most `burst` at once after idling."""

    def __init__(self, rpm: float, burst: int | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if not rpm > 0:
            raise ConfigError(f"--ksafe-rpm must be a positive number, got {rpm}")
        self.rpm = float(rpm)
        self.interval = 60.0 / self.rpm
        # default burst: one second's worth of calls (at least one), so a pool that starts
        # all at once does not overshoot the provider's per-minute window
        self.burst = max(1, int(burst if burst is not None else self.rpm / 60.0))
        self._clock = clock
        self._next = -float("inf")  # theoretical arrival time of the next call

    def reserve(self) -> float:
        """Take the next slot; returns how long the caller must wait for it."""
        now = self._clock()
        tolerance = (self.burst - 1) * self.interval
        arrival = max(self._next, now)
        self._next = arrival + self.interval
        return max(0.0, arrival - tolerance - now)

    async def acquire(self) -> None:
        wait = self.reserve()
        if wait > 0:
            await asyncio.sleep(wait)
