"""Run every sample of a process as one asyncio batch, off pytest's thread.

pytest items run one after another; model calls should not. After collection the plugin
hands the runner all samples of this process; a background thread works through them with
bounded concurrency (a fixed pool of worker coroutines, so results arrive roughly in item
order) while each item waits only for its own result.
"""

from __future__ import annotations

import asyncio
import gc
import random
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterable
from concurrent.futures import Future
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from typing import Protocol

from ksafe_pytest.engine.adaptive import AdaptiveLimit, Ticket
from ksafe_pytest.engine.ratelimit import RateLimiter
from ksafe_pytest.judges.base import Judge, error_verdict, filter_verdict
from ksafe_pytest.models.base import ModelClient
from ksafe_pytest.records import (
    ErrorKind,
    ModelError,
    Request,
    Response,
    Sample,
    SampleResult,
)
from ksafe_pytest.untrusted import JUDGE_CAP, clip

WORKERS_PER_SLOT = 4
# After this many requests in a row refused for the account (a revoked key, a used-up
# quota), the rest are not sent: each would fail the same way. They end as errors.
HALT_AFTER = 3


@dataclass(frozen=True)
class RunSettings:
    concurrency: int = 64  # the ceiling of calls in flight (adaptive below it)
    timeout_s: float = 60.0
    retries: int = 4  # after 5xx, timeouts, malformed answers; 429s wait instead
    backoff_base_s: float = 0.5
    backoff_max_s: float = 30.0
    # a sample rate limited (429) for this long since its first 429 is an error
    rate_limit_wait_s: float = 600.0
    adaptive: bool = True  # False: always `concurrency` in flight


class ResponseStore(Protocol):
    """A response cache: never asked to keep an error or an empty answer."""

    def get(self, key: str) -> Response | None: ...

    def put(self, key: str, response: Response) -> None: ...


def backoff_delay(attempt: int, settings: RunSettings, error: ModelError,
                  rng: random.Random, cap: bool = True) -> float:
    """Retry-After when the server gave one (capped at backoff_max_s unless `cap` is
    False: a rate limit is waited out in full), else capped exponential backoff with
    jitter."""
    if error.retry_after is not None:
        wait = max(error.retry_after, 0.0)
        return min(wait, settings.backoff_max_s) if cap else wait
    ceiling = min(settings.backoff_max_s, settings.backoff_base_s * 2 ** attempt)
    return ceiling * (0.5 + rng.random() / 2)


@asynccontextmanager
async def _turn(limit: AdaptiveLimit | None) -> AsyncIterator[Ticket | None]:
    """A place among the calls in flight (none while backing off), or no limit at all."""
    if limit is None:
        yield None
        return
    ticket = await limit.acquire()
    try:
        yield ticket
    except BaseException:  # cancelled (Ctrl-C): the place is freed, nothing learned
        limit.cancel(ticket)
        raise


async def _attempt(client: ModelClient, request: Request, settings: RunSettings,
                   limit: AdaptiveLimit | None,
                   stop: Callable[[], ModelError | None] | None) -> Response | None:
    """One call in its turn; None when `stop` says to send nothing more. The timeout
    scope runs the call in this task (`wait_for` would add a task, two more loop hops)."""
    async with _turn(limit) as ticket:
        start = time.perf_counter()
        if stop is not None and (why := stop()) is not None:
            if limit is not None and ticket is not None:
                limit.cancel(ticket)
            return Response(request.sample_id, request.model, attempts=0, error=why)
        try:
            async with asyncio.timeout(settings.timeout_s):
                response = await client.complete(request)
        except TimeoutError:
            response = Response(request.sample_id, request.model, error=ModelError(
                ErrorKind.TIMEOUT, f"no answer within {settings.timeout_s:g} s", retryable=True))
        except Exception as exc:  # a client bug must not pose as an answer or kill the batch
            response = Response(request.sample_id, request.model, error=ModelError(
                ErrorKind.INTERNAL, f"{type(exc).__name__}: {exc}"))
        if limit is not None and ticket is not None:
            limit.release(ticket, response)
        if response.ok and not response.text.strip():
            response = replace(response, error=ModelError(
                ErrorKind.EMPTY, "the model returned no text", retryable=True))
        if not response.latency_s:
            response = replace(response, latency_s=time.perf_counter() - start)
        return response


async def call_with_retries(client: ModelClient, request: Request, settings: RunSettings,
                            rng: random.Random | None = None,
                            limit: AdaptiveLimit | None = None,
                            stop: Callable[[], ModelError | None] | None = None) -> Response:
    """One model call with timeout and retries; ends in an answer or a typed error.

    Each attempt takes its turn from the model's adaptive limit; a sample backing off
    holds no place. A 429 does not spend `retries`: the sample waits (the server's
    Retry-After, else backoff) until `rate_limit_wait_s` since its first 429 has passed.
    `stop`, asked when its turn comes, gives a reason to send nothing more.
    """
    rng = rng or random.Random()
    calls = failures = limited = 0
    first_limited: float | None = None
    while True:
        response = await _attempt(client, request, settings, limit, stop)
        assert response is not None
        if response.attempts == 0:  # not sent
            return replace(response, attempts=calls)
        calls += 1
        response = replace(response, attempts=calls)
        error = response.error
        if error is None or not error.retryable:
            return response
        if error.kind is ErrorKind.RATE_LIMIT:
            now = time.monotonic()
            first_limited = first_limited if first_limited is not None else now
            limited += 1
            delay = backoff_delay(limited - 1, settings, error, rng, cap=False)
            waited = now - first_limited
            if waited + delay > settings.rate_limit_wait_s:
                return replace(response, error=replace(error, message=(
                    f"{error.message} (still rate limited after {waited:.0f} s of waiting; "
                    "--ksafe-rate-limit-wait)")))
        else:
            failures += 1
            if failures > settings.retries:
                return response
            delay = backoff_delay(failures - 1, settings, error, rng)
        if delay > 0:
            await asyncio.sleep(delay)


def _judged_part(response: Response) -> Response:
    """What the judges read: the answer up to JUDGE_CAP characters, head and tail."""
    if len(response.text) <= JUDGE_CAP:
        return response
    return replace(response, text=clip(response.text, JUDGE_CAP).text)


def repaired_note(response: Response) -> str:
    return (f"answer_repaired: {response.repaired} unencodable character(s) replaced "
            "with U+FFFD")


def account_refused(error: ModelError) -> bool:
    """The account, not this request, was refused: every further request would be too."""
    return error.kind is ErrorKind.QUOTA or (
        error.kind is ErrorKind.CLIENT and error.status in (401, 403))


class Pipeline:
    """Sample -> Request -> Response -> Verdict, for one sample."""

    def __init__(self, client: ModelClient, judge: Judge, settings: RunSettings,
                 make_request: Callable[[Sample], Request], render_id: str = "",
                 store: ResponseStore | None = None,
                 limiter: RateLimiter | None = None, repeats: int = 1,
                 cache_only: bool = False, filter_as_refusal: bool = False) -> None:
        self.client, self.judge, self.settings = client, judge, settings
        self.make_request, self.render_id, self.store = make_request, render_id, store
        self.limiter = limiter  # --ksafe-rpm, shared by every call of this pipeline
        # calls in flight and their pace, adaptive; set by BatchRunner on its loop
        self.limit: AdaptiveLimit | None = None
        self.repeats = max(1, repeats)  # --ksafe-repeats: majority of N asks
        self.cache_only = cache_only  # --ksafe-rejudge: never call the model under test
        self.filter_as_refusal = filter_as_refusal  # --ksafe-filter-as-refusal
        self.halted: ModelError | None = None  # set after HALT_AFTER refusals in a row
        self._refused_in_a_row = 0

    async def evaluate(self, sample: Sample) -> SampleResult:
        if self.repeats == 1:
            return await self._evaluate(sample, 0)
        from ksafe_pytest.repeats import vote

        return vote([await self._evaluate(sample, i) for i in range(self.repeats)])

    async def _evaluate(self, sample: Sample, repeat: int) -> SampleResult:
        request = self.make_request(sample)
        if repeat:  # a distinct cache key; the model sees the same request
            request = replace(request, repeat=repeat)
        key = request.key(self.render_id) if self.store is not None else ""
        cached = self.store.get(key) if self.store is not None else None
        if cached is not None:
            response = replace(cached, sample_id=sample.id, cached=True)
        elif self.cache_only:
            response = Response(sample.id, request.model, error=ModelError(
                ErrorKind.CLIENT, "no cached answer to re-judge (--ksafe-rejudge only "
                "judges answers already in the response cache)"))
        else:
            response = await self._ask(request)
            if response.ok and self.store is not None:
                self.store.put(key, response)
        if not response.ok:
            assert response.error is not None
            if self.filter_as_refusal and response.error.kind is ErrorKind.FILTERED:
                return SampleResult(sample, response, filter_verdict(self.judge.id))
            return SampleResult(sample, response, error_verdict(response, self.judge.id))
        verdict = await self.judge.judge(sample, _judged_part(response))
        if response.repaired:
            verdict = replace(verdict, evidence=(*verdict.evidence, repaired_note(response)))
        return SampleResult(sample, response, verdict)

    async def _ask(self, request: Request) -> Response:
        """The model's answer, unless the account was refused HALT_AFTER times in a row."""
        response = await call_with_retries(self.client, request, self.settings,
                                           limit=self.limit, stop=self._not_sent)
        if self.halted is not None:
            return response
        if response.error is not None and account_refused(response.error):
            self._refused_in_a_row += 1
            if self._refused_in_a_row >= HALT_AFTER:
                self.halted = response.error
        else:
            self._refused_in_a_row = 0
        return response

    def _not_sent(self) -> ModelError | None:
        if self.halted is None:
            return None
        return ModelError(self.halted.kind, f"not sent: {HALT_AFTER} requests in a row "
                          f"were refused: {self.halted.message}", self.halted.status)


class BatchRunner:
    """Owns the event loop thread; `submit` queues samples, `result` waits for one."""

    def __init__(self, pipeline: Pipeline, concurrency: int,
                 on_result: Callable[[SampleResult], None] | None = None) -> None:
        self.pipeline = pipeline
        self.concurrency = max(1, concurrency)
        self.on_result = on_result
        self._futures: dict[str, Future[SampleResult]] = {}
        self._loop = asyncio.new_event_loop()
        self._queue: asyncio.Queue[Sample] | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ksafe-runner", daemon=True)
        # What is alive now (collected items, the dataset, litellm's ~450k import-time
        # objects) lives until the session ends: kept out of the cyclic GC, a full
        # collection no longer stalls every call in flight for ~0.2 s. Collected first,
        # so no garbage is frozen with it (costs one such pass, once per process).
        gc.collect()
        gc.freeze()
        self._thread.start()
        self._ready.wait()

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._queue = asyncio.Queue()
        # at most `concurrency` calls in flight; more workers than that, so samples
        # waiting out a retry backoff do not hold a place
        self.pipeline.limit = AdaptiveLimit(self.concurrency, self.pipeline.limiter,
                                            adaptive=self.pipeline.settings.adaptive)
        for _ in range(self.concurrency * WORKERS_PER_SLOT):
            self._loop.create_task(self._worker())
        self._ready.set()
        self._loop.run_forever()

    async def _worker(self) -> None:
        assert self._queue is not None
        while True:
            sample = await self._queue.get()
            future = self._futures[sample.id]
            try:
                result = await self.pipeline.evaluate(sample)
            except Exception as exc:  # a bug in a stage: the item shows it, nothing is lost
                future.set_exception(exc)
                continue
            if self.on_result is not None:
                self.on_result(result)
            future.set_result(result)

    def submit(self, samples: Iterable[Sample]) -> None:
        """Queue samples in order; a sample already queued is not queued twice."""
        fresh = [s for s in samples if s.id not in self._futures]
        for s in fresh:
            self._futures[s.id] = Future()
        assert self._queue is not None
        queue = self._queue

        def enqueue() -> None:
            for s in fresh:
                queue.put_nowait(s)

        self._loop.call_soon_threadsafe(enqueue)

    def result(self, sample: Sample, timeout: float | None = None) -> SampleResult:
        if sample.id not in self._futures:
            self.submit([sample])
        return self._futures[sample.id].result(timeout)

    def close(self) -> None:
        async def shutdown() -> None:
            # calls still in flight (Ctrl-C, an early stop) end first, so that the clients
            # close with no request using them
            others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in others:
                task.cancel()
            if others:
                await asyncio.wait(others, timeout=5)
            await self.pipeline.client.aclose()
            await self.pipeline.judge.aclose()  # LLM judge clients

        if self._loop.is_running():
            asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result(timeout=10)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)
