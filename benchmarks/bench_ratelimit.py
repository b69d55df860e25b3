"""Runs against a provider-like rate limit: how close to the rate floor, how many 429s.

`ksafe serve --rate-limit RPS --latency-ms 250` in its own process: a token bucket of one
second's requests, 429 with Retry-After and `x-ratelimit-*` headers, 250 ms per answer.
The engine runs with default flags (RunSettings(): ceiling 64, adaptive, 4 retries, 600 s
rate-limit wait). The floor is samples / RPS: no client can finish sooner.
Issue 18's goals: at 160/s and 1,200 samples >= 0.80 of the floor's speed; at 12/s and 240
samples within 1.25x the floor, <= 10% of requests answered 429, no sample lost.

    python benchmarks/bench_ratelimit.py [--only 160|12] [--transport http|litellm]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

from bench_throughput import NullJudge, start_server, workload

from ksafe_pytest.engine.runner import BatchRunner, Pipeline, RunSettings
from ksafe_pytest.models import ClientSettings, resolve_client
from ksafe_pytest.records import Request, Sample

CASES = {160: 1200, 12: 240}  # requests/s allowed -> samples


def run_case(rps: float, n: int, latency_ms: float, transport: str) -> bool:
    server, url = start_server(latency_ms, extra=["--rate-limit", str(rps)])
    model = "ksafe/guarded" if transport == "http" else "openai/ksafe/guarded"
    client = resolve_client(model, ClientSettings(api_base=url, transport=transport))
    samples = workload(n)

    def make(sample: Sample) -> Request:  # text only: the transport and pacing, not Pillow
        return Request(sample.id, model, sample.text, None, {"temperature": 0})

    settings = RunSettings()
    pipeline = Pipeline(client, NullJudge(), settings, make, "bench")
    runner = BatchRunner(pipeline, settings.concurrency)
    t0 = time.perf_counter()
    try:
        runner.submit(samples)
        results = [runner.result(s, timeout=900) for s in samples]
    finally:
        wall = time.perf_counter() - t0
        assert pipeline.limit is not None
        stats = pipeline.limit.stats()
        runner.close()
        server.terminate()
        server.wait(10)
    calls = sum(r.response.attempts for r in results)
    lost = sum(not r.response.ok for r in results)
    floor = n / rps
    share_429 = stats.rate_limited / calls if calls else 0.0
    print(f"{transport}: {rps:g} req/s allowed, {n} samples, {latency_ms:g} ms per answer: "
          f"{wall:.2f} s (floor {floor:.2f} s) -> {floor / wall:.2f} of the floor's speed, "
          f"{wall / floor:.2f}x the floor; {calls} requests, {stats.rate_limited} answered "
          f"429 ({share_429:.1%}); {lost} sample(s) lost; peak {stats.peak_in_flight} in "
          f"flight, window {stats.window} of {stats.ceiling}; learned rate "
          f"{stats.learned_rps or 0:.1f}/s; held {stats.held_s:.2f} s")
    if rps >= 100:
        ok = floor / wall >= 0.80
        print(f"  goal >= 0.80 of the floor: {'met' if ok else 'NOT met'}")
    else:
        ok = wall / floor <= 1.25 and share_429 <= 0.10 and lost == 0
        print(f"  goal <= 1.25x the floor, <= 10% 429, none lost: {'met' if ok else 'NOT met'}")
    return ok


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", type=int, choices=sorted(CASES), default=None)
    parser.add_argument("--latency-ms", type=float, default=250.0)
    parser.add_argument("--transport", choices=("http", "litellm"), default="http")
    args = parser.parse_args(argv)
    for rps, n in CASES.items():
        if args.only is None or args.only == rps:
            run_case(rps, n, args.latency_ms, args.transport)
    return 0


if __name__ == "__main__":
    sys.exit(main())
