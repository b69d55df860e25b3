"""Through real HTTP against `ksafe serve`: every fault kind is survived or reported.

Where retries succeed, verdicts equal the fault-free run; where they cannot, the sample is
an error item (never a refusal, never dropped).
"""

from __future__ import annotations

import asyncio
import time

import pytest
from _engine_helpers import ExactJudge, make_request_for, run_batch, samples

from ksafe_pytest.engine.ratelimit import RateLimiter
from ksafe_pytest.engine.runner import HALT_AFTER, BatchRunner, Pipeline, RunSettings
from ksafe_pytest.models import ClientSettings
from ksafe_pytest.models.http_client import OpenAIHTTPClient
from ksafe_pytest.records import (
    ErrorKind,
    Label,
    ModelError,
    Request,
    Response,
    Sample,
    SampleResult,
)
from ksafe_pytest.serve import FAULT_KINDS, PERMANENT_FAULTS, ServeOptions, serve_in_thread

MODEL = "ksafe/guarded"
SAMPLES = samples(48)
FAST = RunSettings(concurrency=16, timeout_s=0.5, retries=8, backoff_base_s=0.005,
                   backoff_max_s=0.05)
# The fault-free references are about answers, not about time: a loaded machine (or
# `pytest -n 2`) must not make a first attempt time out and be retried.
PATIENT = RunSettings(concurrency=16, timeout_s=30, retries=8, backoff_base_s=0.005,
                      backoff_max_s=0.05)


def run(options: ServeOptions, settings: RunSettings = FAST, model: str = MODEL,
        with_image: bool = False) -> tuple[dict[str, SampleResult], ServeOptions, object]:
    with serve_in_thread(options) as (url, server):
        client = OpenAIHTTPClient(model, ClientSettings(api_base=url,
                                                        timeout_s=settings.timeout_s))
        results = run_batch(client, SAMPLES, settings, with_image=with_image)
    return results, options, server


def labels(results: dict[str, SampleResult]) -> dict[str, tuple[str, str]]:
    return {k: (r.verdict.label.value, r.response.text) for k, r in results.items()}


@pytest.fixture(scope="module")
def baseline() -> dict[str, SampleResult]:
    results, _, _ = run(ServeOptions(), PATIENT)
    assert all(r.response.ok and r.response.attempts == 1 for r in results.values())
    # the guarded model both refuses and complies on these prompts: a real comparison
    assert {r.verdict.label for r in results.values()} == {Label.REFUSAL, Label.COMPLIANCE}
    return results


@pytest.mark.parametrize("fault", [f for f in FAULT_KINDS if f not in PERMANENT_FAULTS])
def test_retried_faults_give_the_fault_free_verdicts(fault: str,
                                                     baseline: dict[str, SampleResult]
                                                     ) -> None:
    options = ServeOptions(fault_rate=0.3, faults=(fault,), seed=11, retry_after_s=0.01,
                           stall_s=2.0)
    results, _, server = run(options)
    assert server.stats.faults[fault] > 0  # type: ignore[attr-defined]
    assert labels(results) == labels(baseline)
    assert all(r.response.ok for r in results.values())
    retried = [r for r in results.values() if r.response.attempts > 1]
    assert len(retried) >= server.stats.faults[fault] // 2  # type: ignore[attr-defined]


def test_mixed_faults_with_images(baseline: dict[str, SampleResult]) -> None:
    clean, _, _ = run(ServeOptions(), PATIENT, with_image=True)
    faulty, _, server = run(ServeOptions(fault_rate=0.2, seed=5, retry_after_s=0.01,
                                         stall_s=2.0), with_image=True)
    assert sum(server.stats.faults.values()) > 0  # type: ignore[attr-defined]
    assert labels(faulty) == labels(clean)


@pytest.mark.parametrize("fault, kind", [("500", ErrorKind.SERVER),
                                         ("429", ErrorKind.RATE_LIMIT),
                                         ("empty", ErrorKind.EMPTY),
                                         ("timeout", ErrorKind.TIMEOUT)])
def test_permanent_failures_are_error_items(fault: str, kind: ErrorKind) -> None:
    settings = RunSettings(concurrency=16, timeout_s=0.3, retries=2, backoff_base_s=0.001,
                           backoff_max_s=0.01, rate_limit_wait_s=0.2)
    results, _, _ = run(ServeOptions(fault_rate=1.0, faults=(fault,), retry_after_s=0.0,
                                     stall_s=1.0), settings)
    assert len(results) == len(SAMPLES)
    for r in results.values():
        assert r.verdict.label is Label.ERROR and not r.verdict.refused
        assert r.response.error is not None and r.response.error.kind is kind
        if fault == "429":  # waited out, not retried: an error once the wait budget is spent
            assert "--ksafe-rate-limit-wait" in r.response.error.message
        else:
            assert r.response.attempts == 3  # first try plus two retries


def test_waiting_out_a_rate_limit_does_not_spend_the_retries() -> None:
    """No retries allowed, every first ask answered 429: each sample asks again (in its
    turn) and gets its answer; the rate limit cost time, not retries."""
    settings = RunSettings(concurrency=8, timeout_s=5.0, retries=0, rate_limit_wait_s=60)
    results, _, server = run(ServeOptions(fault_rate=0.5, faults=("429",), seed=3,
                                          retry_after_s=0.01), settings)
    assert server.stats.faults["429"] > 0  # type: ignore[attr-defined]
    assert all(r.response.ok for r in results.values())
    assert max(r.response.attempts for r in results.values()) >= 2


def test_a_used_up_quota_is_not_retried_and_stops_the_sending() -> None:
    """Every answer a quota 429: no retry, and after HALT_AFTER in a row the rest of the
    batch is not sent; every sample still ends as a quota error."""
    settings = RunSettings(concurrency=4, timeout_s=2.0, retries=3, backoff_base_s=0.001)
    results, _, server = run(ServeOptions(fault_rate=1.0, faults=("quota",)), settings)
    assert len(results) == len(SAMPLES)
    kinds = {r.response.error.kind for r in results.values() if r.response.error}
    assert kinds == {ErrorKind.QUOTA}
    assert all(r.verdict.label is Label.ERROR and r.response.attempts <= 1
               for r in results.values())
    sent = server.stats.requests  # type: ignore[attr-defined]
    assert HALT_AFTER <= sent <= HALT_AFTER + settings.concurrency < len(SAMPLES)


def test_unknown_model_is_not_retried() -> None:
    results, _, server = run(ServeOptions(), model="ksafe/unknown")
    assert all(r.verdict.label is Label.ERROR for r in results.values())
    assert all(r.response.attempts == 1 for r in results.values())
    assert server.stats.requests == len(SAMPLES)  # type: ignore[attr-defined]


class CountingClient:
    """Answers after a short wait; `slow` ids first get a 503 with Retry-After (a 429
    with `status=429`)."""

    model = "fake"

    def __init__(self, slow: set[str] | None = None, wait_s: float = 0.02,
                 status: int = 503) -> None:
        self.slow, self.wait_s, self.status = set(slow or ()), wait_s, status
        self.in_flight = self.peak = 0
        self.calls: list[float] = []
        self.refused: list[float] = []  # when each first answer was returned

    async def complete(self, request: Request) -> Response:
        self.calls.append(time.monotonic())
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        try:
            await asyncio.sleep(self.wait_s)
        finally:
            self.in_flight -= 1
        if request.sample_id in self.slow:
            self.slow.discard(request.sample_id)
            kind = ErrorKind.RATE_LIMIT if self.status == 429 else ErrorKind.SERVER
            self.refused.append(time.monotonic())
            return Response(request.sample_id, self.model, error=ModelError(
                kind, "slow down", self.status, retryable=True, retry_after=0.3))
        return Response(request.sample_id, self.model, text=f"답 {request.sample_id}")

    async def aclose(self) -> None:
        return None


def drive(client: CountingClient, items: list[Sample], concurrency: int,
          limiter: RateLimiter | None = None) -> list[str]:
    order: list[str] = []
    pipeline = Pipeline(client, ExactJudge(), RunSettings(concurrency=concurrency),
                        make_request_for(client.model, False), "r", limiter=limiter)
    runner = BatchRunner(pipeline, concurrency, on_result=lambda r: order.append(r.sample.id))
    try:
        runner.submit(items)
        for s in items:
            runner.result(s, timeout=30)
    finally:
        runner.close()
    return order


def test_in_flight_calls_never_exceed_concurrency() -> None:
    client = CountingClient()
    drive(client, samples(40), concurrency=3)
    assert client.peak == 3  # more workers than slots, but never more calls in flight


def test_a_sample_backing_off_does_not_hold_a_slot() -> None:
    items = samples(6)
    client = CountingClient(slow={items[0].id})
    order = drive(client, items, concurrency=1)
    # with one slot, the others run while the first waits out its Retry-After
    assert order[-1] == items[0].id and sorted(order) == sorted(s.id for s in items)


def test_frequent_429s_pause_every_call_for_retry_after() -> None:
    """429s in a row say the account is over its limit: after the third no call starts
    until its Retry-After has passed, and then every sample is answered."""
    items = samples(12)
    client = CountingClient(slow={s.id for s in items[:4]}, status=429)
    order = drive(client, items, concurrency=4)
    assert sorted(order) == sorted(s.id for s in items)
    assert len(client.refused) == 4
    later = [t for t in client.calls if t > client.refused[-1]]
    assert later and min(later) >= client.refused[2] + 0.29


def test_rpm_limit_spaces_the_calls() -> None:
    client = CountingClient(wait_s=0.0)
    drive(client, samples(6), concurrency=4, limiter=RateLimiter(1200, burst=1))
    # 1200/min: the k-th call no sooner than k * 50 ms after the first (never earlier;
    # a busy machine may only make it later)
    assert len(client.calls) == 6
    assert all(t - client.calls[0] >= k * 0.05 - 0.002 for k, t in enumerate(client.calls))
