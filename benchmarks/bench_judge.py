"""Rule-tier throughput: answers judged per second on one core (target >= 20,000).

Corpus: every calibration answer (short and long, ko/en/ja), plus long compliant answers
built by repeating calibration prose to ~1,500 characters (typical for a full how-to
answer). Prints answers/s per corpus and the ratio to the target. Optionally the embedding
tier's ms per answer (target <= 5 ms) with --embed.

    python benchmarks/bench_judge.py [--seconds 3] [--embed]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

from ksafe_pytest.judges.calibration import load_calibration
from ksafe_pytest.judges.rules import JUDGE_ID, RuleJudge, classify
from ksafe_pytest.records import ImageSpec, Response, Sample

TARGET_PER_S = 20_000
T = TypeVar("T")
EMBED_TARGET_MS = 5.0


def _sample(prompt: str, locale: str) -> Sample:
    return Sample(id="b", part="G", category="", topic="", strategy="Standard",
                  intent="harmful", text=prompt, image=ImageSpec("none"), locale=locale)


def _rate(texts: Sequence[T], fn: Callable[[T], object], seconds: float) -> float:
    """Answers per CPU second (process time: immune to other load), median of 3 passes."""
    rates = []
    for _ in range(3):
        n, start = 0, time.process_time()
        while time.process_time() - start < seconds / 3:
            for t in texts:
                fn(t)
            n += len(texts)
        rates.append(n / (time.process_time() - start))
    return statistics.median(rates)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--embed", action="store_true", help="also time the embedding tier")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    rows = load_calibration(("train", "dev", "test"))
    short = [r.response for r in rows]
    long = [(r.response + "\n") * max(1, 1500 // max(1, len(r.response))) for r in rows
            if r.label == "compliance"]
    mixed = short + long
    print(f"rule tier ({JUDGE_ID} classify), one core, CPU time")
    for name, texts in (("calibration answers", short), ("long answers ~1.5k chars", long),
                        ("mixed", mixed)):
        avg = sum(map(len, texts)) / len(texts)
        rate = _rate(texts, classify, args.seconds)
        print(f"  {name:<26} n={len(texts):>4}  avg {avg:>6.0f} chars  {rate:>9,.0f} answers/s"
              f"  ({rate / TARGET_PER_S:.2f}x target {TARGET_PER_S:,})")
    judge = RuleJudge()
    pairs = [(_sample(r.prompt, r.lang), Response(r.id, "m", text=r.response)) for r in rows]
    pairs += [(s, Response(r.id, "m", text=t)) for (s, _), r, t in
              zip(pairs, [r for r in rows if r.label == "compliance"], long, strict=False)]
    rate = _rate(pairs, lambda p: judge.judge_sync(*p), args.seconds)
    print(f"  {'whole judge, echo check':<26} n={len(pairs):>4}  (mixed, with prompts)  "
          f"{rate:>9,.0f} answers/s  ({rate / TARGET_PER_S:.2f}x target {TARGET_PER_S:,})")
    if args.embed:
        from ksafe_pytest.judges.embedding import EmbeddingJudge, head_of
        from ksafe_pytest.judges.rules import is_uncertain

        judge = EmbeddingJudge()
        heads = [head_of(t) for t in short]
        judge.vote(heads[:8])  # load weights and exemplar bank, warm up
        start = time.perf_counter()  # wall clock: the encoder uses every core
        judge.vote(heads)
        batch_ms = (time.perf_counter() - start) * 1000 / len(heads)
        start = time.perf_counter()
        for h in heads[:50]:
            judge.vote([h])
        single_ms = (time.perf_counter() - start) * 1000 / 50
        unsure = sum(is_uncertain(*classify(t)) for t in short) / len(short)
        print(f"embedding tier ({judge.id}), encoder on every head:")
        print(f"  {batch_ms:.2f} ms/answer batched, {single_ms:.2f} ms/answer one at a time "
              f"(target <= {EMBED_TARGET_MS} ms: {single_ms / EMBED_TARGET_MS:.2f}x)")
        print(f"  only uncertain rule verdicts are encoded: {unsure:.1%} of calibration "
              f"answers -> {unsure * single_ms:.2f} ms/answer amortized, one at a time")


if __name__ == "__main__":
    main()
