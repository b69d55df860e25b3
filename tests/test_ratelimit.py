"""The requests-per-minute limiter: slots by a fake clock, and real waiting in a loop."""

from __future__ import annotations

import asyncio
import time

import pytest

from ksafe_pytest.engine.ratelimit import RateLimiter
from ksafe_pytest.errors import ConfigError


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_slots_are_spaced_by_the_rate() -> None:
    clock = FakeClock()
    limiter = RateLimiter(60, burst=1, clock=clock)  # one per second
    assert [limiter.reserve() for _ in range(4)] == [0.0, 1.0, 2.0, 3.0]


def test_burst_then_rate_and_refill_after_idle() -> None:
    clock = FakeClock()
    limiter = RateLimiter(120, burst=3, clock=clock)  # one per 0.5 s
    assert [limiter.reserve() for _ in range(5)] == [0.0, 0.0, 0.0, 0.5, 1.0]
    clock.now += 60  # long idle: the burst is back, but no more than the burst
    assert [limiter.reserve() for _ in range(4)] == [0.0, 0.0, 0.0, 0.5]


def test_default_burst_is_one_second_of_calls() -> None:
    assert RateLimiter(600).burst == 10
    assert RateLimiter(30).burst == 1


@pytest.mark.parametrize("rpm", [0, -5, float("nan")])
def test_rejects_non_positive_rates(rpm: float) -> None:
    with pytest.raises(ConfigError, match="--ksafe-rpm"):
        RateLimiter(rpm)


def test_concurrent_callers_are_held_to_the_rate() -> None:
    limiter = RateLimiter(1200, burst=1)  # 20 per second: 0.05 s apart
    stamps: list[float] = []

    async def call() -> None:
        await limiter.acquire()
        stamps.append(time.monotonic())

    async def main() -> float:
        start = time.monotonic()
        await asyncio.gather(*(call() for _ in range(11)))
        return start

    start = asyncio.run(main())
    # a sleep never ends early: the k-th call cannot start before k intervals (a busy
    # machine may only make it later, so gaps between neighbours are not compared)
    assert all(t - start >= k * 0.05 - 0.002 for k, t in enumerate(sorted(stamps)))
    assert sorted(stamps)[-1] - start >= 0.5 - 0.002
