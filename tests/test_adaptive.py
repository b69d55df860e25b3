"""Adaptive concurrency: the window grows with answers, is cut on 429 and 5xx, never
passes the ceiling, and the provider's rate headers pace the calls (a fake clock)."""

from __future__ import annotations

import asyncio

import pytest
from _engine_helpers import samples

from ksafe_pytest.engine.adaptive import AdaptiveLimit, Ticket, refill_rate
from ksafe_pytest.engine.runner import RunSettings
from ksafe_pytest.models import ClientSettings
from ksafe_pytest.models.http_client import OpenAIHTTPClient
from ksafe_pytest.records import ErrorKind, ModelError, RateHeaders, Response
from ksafe_pytest.serve import ServeOptions, serve_in_thread


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


OK = Response("s", "m", text="네")


def limited(retry_after: float | None = None, rate: RateHeaders | None = None) -> Response:
    return Response("s", "m", rate=rate, error=ModelError(
        ErrorKind.RATE_LIMIT, "slow down", 429, retryable=True, retry_after=retry_after))


async def claim(limit: AdaptiveLimit, n: int, waiting: int = 1
                ) -> tuple[list[Ticket], list[asyncio.Future[Ticket]]]:
    """n calls let through at once, and `waiting` more that must wait (the demand)."""
    tickets = [await limit.acquire() for _ in range(n)]
    waiters = [asyncio.ensure_future(limit.acquire()) for _ in range(waiting)]
    await asyncio.sleep(0)
    return tickets, waiters


def test_starts_modestly_and_doubles_per_window_of_answers() -> None:
    async def main() -> None:
        limit = AdaptiveLimit(64, clock=FakeClock())
        tickets, waiters = await claim(limit, 16, waiting=40)
        assert limit.window == 16 and not any(w.done() for w in waiters)  # the rest wait
        for t in tickets:
            limit.release(t, OK)
        await asyncio.sleep(0)
        assert limit.window == 32 and sum(w.done() for w in waiters) == 32
        assert limit.in_flight == 32
        for w in waiters:
            w.cancel()

    asyncio.run(main())


def test_frequent_429s_halve_the_window_once_per_window_a_stray_one_does_not() -> None:
    async def main() -> None:
        limit = AdaptiveLimit(64, start=32, clock=FakeClock())
        tickets, (waiter, *_) = await claim(limit, 32, waiting=2)
        for t in tickets[:20]:
            limit.release(t, OK)
        limit.release(tickets[20], limited(retry_after=1.0))  # one among many answers
        assert limit.window >= 32 and limit.stats().held_s == 0
        for t in tickets[21:25]:  # then a run of them: frequent, one cut for the window
            limit.release(t, limited(retry_after=1.0))
        assert limit.window == pytest.approx(limit.stats().window, abs=1)
        assert 16 <= limit.window <= 18 and limit.rate_limited == 5
        assert limit.stats().held_s == pytest.approx(1.0)  # and everyone waits it out
        limit.release(tickets[25], Response("s", "m", error=ModelError(
            ErrorKind.SERVER, "boom", 503, retryable=True)))
        assert 16 <= limit.window <= 18  # a 5xx: no growth, no cut (the retries see to it)
        for t in tickets[26:]:
            limit.release(t, OK)
        waiter.cancel()

    asyncio.run(main())


def test_the_window_never_passes_the_ceiling() -> None:
    async def main() -> int:
        limit = AdaptiveLimit(10, clock=FakeClock())
        busiest = 0

        async def call() -> None:
            nonlocal busiest
            ticket = await limit.acquire()
            busiest = max(busiest, limit.in_flight)
            await asyncio.sleep(0)
            limit.release(ticket, OK)

        await asyncio.gather(*(call() for _ in range(300)))
        assert limit.window == 10 and limit.stats().peak_in_flight == 10
        return busiest

    assert asyncio.run(main()) == 10


def test_fixed_concurrency_when_not_adaptive() -> None:
    limit = AdaptiveLimit(32, adaptive=False)
    assert limit.window == 32


def test_refill_rate_is_a_lower_bound() -> None:
    # 12 a second, bucket of 12: 3.6 tokens left shows as 3, full again in (12-3.6)/12 s
    assert refill_rate(RateHeaders(3, 12, (12 - 3.6) / 12)) == pytest.approx(8 / 0.7)
    assert refill_rate(RateHeaders(3, 12, (12 - 3.6) / 12)) <= 12
    assert refill_rate(RateHeaders(12, 12, 0.0)) is None  # a full bucket says nothing
    assert refill_rate(RateHeaders(None, 12, 1.0)) is None


def test_rate_headers_pace_the_calls() -> None:
    clock = FakeClock()

    async def main() -> None:
        limit = AdaptiveLimit(64, clock=clock)
        first = await limit.acquire()
        # the provider: 10 a second, a bucket of 10, empty when this call arrived
        limit.release(first, Response("s", "m", text="네", rate=RateHeaders(0, 10, 1.0)))
        assert limit.bucket is not None and limit.bucket.rate == pytest.approx(9.0)
        # nothing left: the next call waits about one refill interval
        assert limit._pace(clock()) == pytest.approx(1 / 9.0)
        for _ in range(5):  # 429s while the provider's bucket is empty: the mirror paces
            ticket = await limit.acquire()
            limit.release(ticket, limited(retry_after=2.0, rate=RateHeaders(0, 10, 1.0)))
        assert limit.window == 16 and limit.stats().held_s == 0  # no cut, no pause
        assert limit._pace(clock()) > 0

    asyncio.run(main())


def test_against_a_provider_like_rate_limit_no_sample_is_lost() -> None:
    """`ksafe serve --rate-limit`: a token bucket with 429 and rate headers. Every sample
    is answered; the 429s are the first burst's, not one per request."""
    items = samples(120)
    options = ServeOptions(rate_limit=40, rate_burst=4)
    settings = RunSettings(concurrency=32, timeout_s=10, retries=0)
    with serve_in_thread(options) as (url, server):
        client = OpenAIHTTPClient("ksafe/guarded", ClientSettings(api_base=url))
        from _engine_helpers import run_batch

        results = run_batch(client, items, settings)
    assert all(r.response.ok for r in results.values())
    assert server.stats.answered == len(items)
    # the first window (16) overruns a bucket of 4, then the headers pace the calls: a
    # few 429s per hundred answers on a busy loopback (32 unpaced calls in flight with no
    # latency would be refused hundreds of times)
    assert server.stats.rate_limited <= 0.5 * server.stats.answered


def test_latency_that_varies_by_answer_lets_it_grow_a_queue_building_up_stops_it() -> None:
    """Answers differ in length, so latency varies by itself: that must not stop the
    growth. Latency climbing well past the run's usual one (a queue at the server) does."""
    async def main() -> tuple[float, float]:
        limit = AdaptiveLimit(10_000, start=1, clock=FakeClock())
        limit._queue.append(asyncio.get_running_loop().create_future())  # calls waiting
        for i in range(200):  # short refusals and long answers, mixed
            limit._grow(0.3 if i % 3 else 3.0)
        varied = limit.window
        for _ in range(3):  # then every answer takes ten times the usual
            limit._grow(15.0)
        before = limit.window
        for _ in range(15):  # (the usual latency catches up with a new normal later)
            limit._grow(15.0)
        return varied, limit.window - before

    varied, grown_while_slow = asyncio.run(main())
    assert varied >= 150  # it kept growing through the mixed latencies
    assert grown_while_slow == 0  # no growth while the recent latency is over 2x usual
