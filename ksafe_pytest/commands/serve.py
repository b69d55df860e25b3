"""`ksafe serve`: the reference models behind an OpenAI-compatible server on loopback."""

from __future__ import annotations

import argparse
import asyncio
import sys

from ksafe_pytest.errors import ConfigError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="loopback address (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port (default 0: a free port)")
    parser.add_argument("--latency-ms", type=float, default=0.0,
                        help="added latency per request in milliseconds")
    parser.add_argument("--fault-rate", type=float, default=0.0,
                        help="share of requests that get an injected fault (0..1)")
    parser.add_argument("--faults", default="429,500,503,timeout,malformed,empty,missing",
                        help="comma-separated fault kinds to inject (also: reset, a "
                        "connection dropped mid-request; quota, a 429 for a used-up quota; "
                        "filtered, a 400 content_filter as Azure OpenAI sends)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the fault draw")
    parser.add_argument("--retry-after", type=float, default=1.0,
                        help="Retry-After seconds sent with an injected 429")
    parser.add_argument("--stall-s", type=float, default=30.0,
                        help="how long a 'timeout' fault holds the request")
    parser.add_argument("--rate-limit", type=float, default=0.0,
                        help="requests per second allowed, as a provider's token bucket "
                        "(429 with Retry-After and x-ratelimit-* headers; default 0: no limit)")
    parser.add_argument("--rate-burst", type=float, default=None,
                        help="capacity of that bucket (default: one second of requests)")
    parser.add_argument("--dataset", default=None,
                        help="recognise this dataset's images (a .jsonl file or folder; "
                        "default: the built-in samples)")
    parser.add_argument("--no-read-images", action="store_true",
                        help="answer from the text alone, without recognising images")


def run(args: argparse.Namespace) -> int:
    from ksafe_pytest.serve import ServeOptions, serve_forever

    faults = tuple(f.strip() for f in args.faults.split(",") if f.strip())
    if args.port < 0 or args.port > 65535:
        raise ConfigError(f"--port must be 0..65535, got {args.port}")
    options = ServeOptions(host=args.host, port=args.port, latency_ms=args.latency_ms,
                           fault_rate=args.fault_rate, faults=faults, seed=args.seed,
                           retry_after_s=args.retry_after, stall_s=args.stall_s,
                           read_images=not args.no_read_images, dataset=args.dataset,
                           rate_limit=args.rate_limit, rate_burst=args.rate_burst)

    def announce(url: str) -> None:
        print(url, flush=True)
        print(f"ksafe serve: models ksafe/guarded, ksafe/refuse-all, ksafe/comply-all at {url} "
              "(Ctrl-C to stop)", file=sys.stderr, flush=True)

    try:
        asyncio.run(serve_forever(options, announce))
    except OSError as exc:
        raise ConfigError(f"cannot listen on {args.host}:{args.port}: {exc.strerror}") from None
    return 0
