"""Adaptive concurrency for one model (or one judge model): as fast as the provider allows.

A fixed pool either idles below the provider's rate or floods it with 429s that used to
eat the retry budget. Here each model gets one `AdaptiveLimit`:
- a window of calls in flight: it starts modestly (16), grows while answers come without
  429 or 5xx and latency holds (one more per answer until the first cut, then about one
  per window of answers), and is halved when 429s are frequent (a share of the recent
  answers, so a stray 429 among many answers does not collapse it), once per window;
  never above `--ksafe-concurrency`, the ceiling;
- with that cut, a pause for everyone until the 429's `Retry-After` has passed (each
  refused call waits it out in any case);
- pacing: `--ksafe-rpm` when given, and, when the provider sends `x-ratelimit-*-requests`
  headers, a mirror of its token bucket (its size, its refill rate learned from the reset
  time, what is left now), so requests go out at the rate the provider refills instead of
  running into 429s.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from ksafe_pytest.engine.ratelimit import RateLimiter
from ksafe_pytest.records import ErrorKind, RateHeaders, Response

START = 16  # calls in flight at first (inspect_ai starts near 20)
RATE_CUT = 0.5  # the window after frequent 429s that no request-rate header explains
# 429s count as frequent past this share of the recent answers (an average over about
# the last 20): a provider's limit overrun refuses a third or more, stray 429s a few in 100
FREQUENT = 0.12
RECENT = 0.05  # weight of each answer in that average
# grow only while the recent latency (an average over ~5 answers) stays under this many
# times the run's usual one (an average over ~50): answers differ in length, so a provider's
# latency varies by itself; a queue building up at the server raises the recent average
LATENCY_HOLDS = 2.0
RECENT_LATENCY, USUAL_LATENCY = 0.2, 0.02  # weights of each answer in those averages
# neither growth nor a cut: the retries deal with these, and latency stops the growth
TRANSIENT = (ErrorKind.SERVER, ErrorKind.TIMEOUT, ErrorKind.CONNECTION)


@dataclass(frozen=True)
class Ticket:
    """One call let through: its place in the sending order and when it left."""

    seq: int  # how many calls reserved their turn before this one
    sent: float


@dataclass(frozen=True)
class LimitStats:
    """What one model's limit did in a run, for the summary and the report."""

    rate_limited: int  # answers 429 (rate limit, not quota)
    held_s: float  # time all sending paused for Retry-After
    peak_in_flight: int  # most calls on the wire at once: the concurrency reached
    window: int  # the window at the end
    ceiling: int
    learned_rps: float | None  # the provider's refill rate, from its headers
    calls: int = 0  # calls sent, retries included
    model: str = ""
    role: str = "model"  # "model" (under test) or "judge"

    def to_json(self) -> dict[str, object]:
        return {"model": self.model, "role": self.role, "calls": self.calls,
                "rate_limited": self.rate_limited, "held_s": round(self.held_s, 3),
                "peak_in_flight": self.peak_in_flight, "window": self.window,
                "ceiling": self.ceiling,
                "learned_rps": None if self.learned_rps is None else round(self.learned_rps, 3)}


class ProviderBucket:
    """Our copy of the provider's token bucket, synced from each answer's headers."""

    def __init__(self, rate: float, capacity: float, tokens: float, now: float) -> None:
        self.rate, self.capacity, self.tokens, self._stamp = rate, capacity, tokens, now

    def reserve(self, now: float) -> float:
        """Take a token; how long to wait until it is there (reservations queue up)."""
        self.tokens = min(self.capacity, self.tokens + (now - self._stamp) * self.rate)
        self._stamp = now
        self.tokens -= 1.0
        return 0.0 if self.tokens >= 0 else -self.tokens / self.rate

    def sync(self, rate: float, capacity: float, tokens: float, now: float) -> None:
        self.rate, self.capacity, self.tokens, self._stamp = rate, capacity, tokens, now


def refill_rate(headers: RateHeaders) -> float | None:
    """Requests per second the provider refills, as a lower bound: `remaining` is rounded
    down, so (limit - remaining - 1) / reset never overstates it."""
    h = headers
    if h.limit is None or h.remaining is None or not h.reset_s or h.reset_s <= 0:
        return None
    used = h.limit - h.remaining - 1.0
    return used / h.reset_s if used >= 1.0 else None


class AdaptiveLimit:
    """`await acquire()` before a call, `release(ticket, response)` after (or `cancel`
    when the call is not made); used from one event loop at a time."""

    def __init__(self, ceiling: int, pacer: RateLimiter | None = None, adaptive: bool = True,
                 start: int = START, clock: Callable[[], float] = time.monotonic) -> None:
        self.ceiling = max(1, ceiling)
        self.window = float(min(self.ceiling, start) if adaptive else self.ceiling)
        self.adaptive = adaptive
        self.pacer = pacer  # --ksafe-rpm
        self.bucket: ProviderBucket | None = None
        self._clock = clock
        self._threshold = float(self.ceiling)  # past it, grow by about one per window
        self._cut_after = -1  # answers to calls sent before the last cut do not cut again
        self._hold_until = 0.0
        self._recent_latency = self._usual_latency = 0.0  # 0: no answer yet
        self._queue: deque[asyncio.Future[None]] = deque()  # callers waiting, in order
        self.claimed = 0  # calls holding a place in the window (pacing or on the wire)
        self.in_flight = 0  # calls on the wire
        self.reserved = 0  # calls that took their turn (pacing), sent or about to be
        self.rate_limited = 0
        self.held_s = 0.0
        self.peak_in_flight = 0
        self._limited_share = 0.0  # recent answers that were 429s (moving average)

    @property
    def waiting(self) -> int:
        return len(self._queue)

    async def _claim(self) -> None:
        """A place in the window, first come first served: a freed place is handed to the
        longest waiting caller, never taken by one arriving just then."""
        if not self._queue and self.claimed < int(self.window):
            self.claimed += 1
            return
        place = asyncio.get_running_loop().create_future()
        self._queue.append(place)
        try:
            await place
        except asyncio.CancelledError:
            if place.done() and not place.cancelled():
                self._free()  # handed a place while being cancelled: pass it on
            else:
                self._queue.remove(place)
            raise

    def _hand_over(self) -> None:
        while self._queue and self.claimed < int(self.window):
            place = self._queue.popleft()
            if not place.done():
                self.claimed += 1
                place.set_result(None)

    def _free(self) -> None:
        self.claimed -= 1
        self._hand_over()

    async def acquire(self) -> Ticket:
        await self._claim()
        try:
            await self._wait_hold()
            seq = self.reserved
            self.reserved += 1
            wait = self._pace(self._clock())
            if wait > 0:
                await asyncio.sleep(wait)
                await self._wait_hold()
        except BaseException:
            self._free()
            raise
        self.in_flight += 1
        self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
        return Ticket(seq, self._clock())

    async def _wait_hold(self) -> None:
        while (left := self._hold_until - self._clock()) > 0:
            await asyncio.sleep(left)

    def _pace(self, now: float) -> float:
        wait = self.pacer.reserve() if self.pacer is not None else 0.0
        if self.bucket is not None:
            wait = max(wait, self.bucket.reserve(now))
        return wait

    def cancel(self, ticket: Ticket) -> None:
        """A call let through but not made (the run stopped sending)."""
        self.in_flight -= 1
        self._free()

    def release(self, ticket: Ticket, response: Response) -> None:
        """The call is over: learn from its answer or error."""
        now = self._clock()
        self.in_flight -= 1
        error = response.error
        limited = error is not None and error.kind is ErrorKind.RATE_LIMIT
        if response.rate is not None:
            self._sync(response.rate, ticket, now, limited)
        self._limited_share += RECENT * (float(limited) - self._limited_share)
        if limited:
            self.rate_limited += 1
            self._on_rate_limit(ticket, response, now)
        elif error is None:
            self._grow(now - ticket.sent)
        self._free()

    def _on_rate_limit(self, ticket: Ticket, response: Response, now: float) -> None:
        assert response.error is not None
        rate = response.rate
        if rate is not None and self.bucket is not None and rate.remaining is not None \
                and rate.remaining < 1:
            return  # the request bucket ran dry: the mirror is synced, it paces from here
        # no headers, or another limit (tokens per minute): slow down when 429s are frequent
        if self._limited_share < FREQUENT or not self.adaptive \
                or ticket.seq <= self._cut_after:
            return
        self.window = max(1.0, self.window * RATE_CUT)
        self._threshold = self.window
        self._cut_after = self.reserved - 1
        wait = response.error.retry_after
        if wait is not None and wait > 0 and now + wait > self._hold_until:
            self.held_s += now + wait - max(now, self._hold_until)
            self._hold_until = now + wait

    def _grow(self, latency: float) -> None:
        if not self._usual_latency:
            self._recent_latency = self._usual_latency = latency
        self._recent_latency += RECENT_LATENCY * (latency - self._recent_latency)
        self._usual_latency += USUAL_LATENCY * (latency - self._usual_latency)
        if not self.adaptive or self.window >= self.ceiling or not self._queue \
                or self._recent_latency > LATENCY_HOLDS * self._usual_latency:
            return
        step = 1.0 if self.window < self._threshold else 1.0 / self.window
        self.window = min(float(self.ceiling), self.window + step)

    def _sync(self, headers: RateHeaders, ticket: Ticket, now: float,
              limited: bool) -> None:
        """Mirror the provider's bucket: what was left when this call arrived, refilled
        since, less the turns taken after it. Each estimate of the refill rate is a lower
        bound, so the mirror keeps the highest, unless a 429 says it was too high."""
        rate = refill_rate(headers)
        if self.bucket is not None:
            known = self.bucket.rate
            if limited:  # refused while the mirror had tokens: the provider is slower
                rate = 0.9 * known if rate is None else min(rate, known)
            else:
                rate = known if rate is None else max(rate, known)
        if rate is None or headers.limit is None or headers.remaining is None:
            return
        after = self.reserved - ticket.seq - 1
        left = min(headers.limit, headers.remaining + (now - ticket.sent) * rate) - after
        if self.bucket is None:
            self.bucket = ProviderBucket(rate, headers.limit, left, now)
        else:
            self.bucket.sync(rate, headers.limit, left, now)

    def stats(self, model: str = "", role: str = "model") -> LimitStats:
        return LimitStats(self.rate_limited, self.held_s, self.peak_in_flight,
                          int(self.window), self.ceiling,
                          self.bucket.rate if self.bucket is not None else None,
                          self.reserved, model, role)
