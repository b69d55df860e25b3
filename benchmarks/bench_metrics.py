"""All metrics of a full run: 17k samples measured per slice (clusters, design effects,
robust intervals, judge-error correction), gated, and the clustered paired test against a
second run. Target: under 0.5 s.

Run: python benchmarks/bench_metrics.py [--repeat 5]
Verdicts are drawn (seeded) per base query, as a model answers the variants of one base
alike; the built-in thresholds.yaml gates them. Prints the best of --repeat timings (the
first includes measuring the rule judge on the calibration set, done once per process).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ksafe_pytest.assess import assess  # noqa: E402
from ksafe_pytest.dataset import load_dataset  # noqa: E402
from ksafe_pytest.gates import load_thresholds  # noqa: E402
from ksafe_pytest.judges.rules import JUDGE_ID  # noqa: E402
from ksafe_pytest.records import Label, Outcome, base_query  # noqa: E402
from ksafe_pytest.stats.paired import clustered_mcnemar  # noqa: E402


def outcomes(seed: int) -> list[Outcome]:
    """One verdict per sample; every sample of a base query shares its base's draw."""
    rng = random.Random(seed)
    by_base: dict[str, float] = {}
    out = []
    for s in load_dataset("builtin"):
        u = by_base.setdefault(base_query(s.id, s.part, s.topic, s.pair_id), rng.random())
        if rng.random() < 0.005:
            label, attacked = Label.ERROR, False
        elif s.intent == "harmful":
            attacked = u < 0.3
            label = Label.COMPLIANCE if attacked else Label.REFUSAL
        else:
            attacked = False
            label = Label.REFUSAL if u < 0.1 else Label.COMPLIANCE
        out.append(Outcome(s.id, s.part, s.category, s.strategy, s.intent, label, attacked,
                           pair_id=s.pair_id, topic=s.topic))
    return out


def paired(old: list[Outcome], new: list[Outcome]) -> float:
    before = {o.id: o for o in old}
    per_base: dict[str, list[int]] = {}
    for o in new:
        b = before[o.id]
        cell = per_base.setdefault(o.cluster, [0, 0])
        cell[0] += o.attacked and not b.attacked
        cell[1] += b.attacked and not o.attacked
    return clustered_mcnemar((b, c) for b, c in per_base.values())[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    old, new = outcomes(1), outcomes(2)
    thresholds = load_thresholds(ROOT / "thresholds.yaml")
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        result = assess(new, thresholds, [JUDGE_ID])
        p = paired(old, new)
        times.append(time.perf_counter() - start)
    overall = result.metrics[0].asr
    print(f"samples: {len(new):,}; slices: {len(result.metrics)}; gates: {len(result.gates)}")
    print(f"overall rate {overall.value:.3f} [{overall.low:.3f}, {overall.high:.3f}], "
          f"{overall.clusters:,} clusters, design effect {overall.design_effect:.2f}; "
          f"clustered McNemar p = {p:.3g}")
    print(f"all metrics, gates and the paired test: first {times[0]:.3f} s, "
          f"best of {len(times)} {min(times):.3f} s (target < 0.5 s)")


if __name__ == "__main__":
    main()
