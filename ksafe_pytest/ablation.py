"""Is it the image? The paired analysis of an ablation run (`--ksafe-ablation`).

Each harmful sample was asked three times: with its image, with a neutral image of the
same kind, and with no image (`dataset/ablation.py`). Per slice (part, part x category,
part x strategy) this gives each condition's attack rate with its cluster-robust interval,
and the paired difference image - neutral and image - text-only over the samples judged in
both conditions. Base queries (`pair_id`) are the clusters: the strategy variants of one
goal moving together count as one piece of evidence, in the interval of the difference
(ratio-estimator variance over clusters, t with C - 1 degrees of freedom) and in its test
(the clustered McNemar test of `stats/paired.py`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ksafe_pytest.metrics import Rate
from ksafe_pytest.records import IMAGE, NEUTRAL_IMAGE, TEXT_ONLY, Label, Outcome
from ksafe_pytest.stats.paired import clustered_mcnemar
from ksafe_pytest.stats.special import rounded, t_quantile
from ksafe_pytest.taxonomy import CATEGORIES, PARTS, STRATEGIES

ALL = "*"
ALPHA = 0.05
CONTROLS = (NEUTRAL_IMAGE, TEXT_ONLY)


@dataclass(frozen=True)
class PairedDifference:
    """image rate - control rate over the samples judged in both conditions."""

    control: str
    pairs: int  # samples judged under both conditions
    clusters: int
    raised: int  # attacked with the image, not under the control
    lowered: int  # attacked under the control, not with the image
    value: float | None
    low: float | None
    high: float | None
    p_value: float
    test: str  # clustered McNemar: exact | chi2 | none

    @property
    def image_raises(self) -> bool:
        """The image significantly raises the attack rate over this control."""
        return self.value is not None and self.value > 0 and self.p_value < ALPHA

    def to_json(self) -> dict[str, Any]:

        return {"control": self.control, "pairs": self.pairs, "clusters": self.clusters,
                "raised": self.raised, "lowered": self.lowered, "value": rounded(self.value),
                "low": rounded(self.low), "high": rounded(self.high), "p_value": rounded(self.p_value),
                "test": self.test, "image_raises": self.image_raises}


@dataclass(frozen=True)
class AblationRow:
    part: str
    category: str
    strategy: str
    rates: dict[str, Rate]  # condition -> attack rate
    differences: tuple[PairedDifference, ...]

    @property
    def label(self) -> str:
        parts = [self.part, self.category] + ([self.strategy] if self.strategy != ALL else [])
        while len(parts) > 1 and parts[-1] == ALL:
            parts.pop()
        return "/".join(parts)

    def to_json(self) -> dict[str, Any]:
        return {"part": self.part, "category": self.category, "strategy": self.strategy,
                "rates": {c: r.to_json() for c, r in self.rates.items()},
                "differences": [d.to_json() for d in self.differences]}


def base_id(sample_id: str, condition: str) -> str:
    return sample_id.removesuffix(f"[{condition}]") if condition != IMAGE else sample_id


def _difference(control: str, pairs: Sequence[tuple[str, int, int]]) -> PairedDifference:
    """From (cluster, attacked with image, attacked under control) per matched sample."""
    by_cluster: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # n, raised, lowered
    for cluster, with_image, with_control in pairs:
        cell = by_cluster[cluster]
        cell[0] += 1
        cell[1] += int(with_image and not with_control)
        cell[2] += int(with_control and not with_image)
    n = len(pairs)
    raised = sum(c[1] for c in by_cluster.values())
    lowered = sum(c[2] for c in by_cluster.values())
    p_value, test = clustered_mcnemar((c[1], c[2]) for c in by_cluster.values())
    if n == 0:
        return PairedDifference(control, 0, 0, 0, 0, None, None, None, 1.0, "none")
    clusters = len(by_cluster)
    value = (raised - lowered) / n
    if clusters < 2:  # one base query says nothing about the others
        return PairedDifference(control, n, clusters, raised, lowered, value, -1.0, 1.0,
                                p_value, test)
    spread = sum((c[1] - c[2] - value * c[0]) ** 2 for c in by_cluster.values())
    se = math.sqrt(clusters / (clusters - 1) * spread) / n
    half = t_quantile(0.975, clusters - 1) * se
    return PairedDifference(control, n, clusters, raised, lowered, value,
                            max(-1.0, value - half), min(1.0, value + half), p_value, test)


def _row(part: str, category: str, strategy: str,
         members: Sequence[Outcome]) -> AblationRow | None:
    judged = [o for o in members if o.label is not Label.ERROR]
    if not judged:
        return None
    per_condition: dict[str, dict[str, list[int]]] = defaultdict(
        lambda: defaultdict(lambda: [0, 0]))
    attacked: dict[tuple[str, str], tuple[str, bool]] = {}
    for o in judged:
        cluster = o.pair_id or base_id(o.id, o.condition)
        cell = per_condition[o.condition][cluster]
        cell[0] += int(o.attacked)
        cell[1] += 1
        attacked[(o.condition, base_id(o.id, o.condition))] = (cluster, o.attacked)
    rates = {c: Rate.of((k, n) for k, n in per_condition[c].values())
             for c in (IMAGE, *CONTROLS) if c in per_condition}
    differences = []
    for control in CONTROLS:
        pairs = [(cluster, int(hit), int(attacked[(control, base)][1]))
                 for (condition, base), (cluster, hit) in attacked.items()
                 if condition == IMAGE and (control, base) in attacked]
        differences.append(_difference(control, pairs))
    return AblationRow(part, category, strategy, rates, tuple(differences))


def ablation_table(outcomes: Iterable[Outcome]) -> list[AblationRow]:
    """Rows for every part, part x category and part x strategy with harmful samples
    under a control condition; empty when the run had no ablation."""
    harmful = [o for o in outcomes if o.intent == "harmful"]
    if not any(o.condition != IMAGE for o in harmful):
        return []
    groups: dict[tuple[str, str, str], list[Outcome]] = defaultdict(list)
    for o in harmful:
        for key in ((ALL, ALL, ALL), (o.part, ALL, ALL), (o.part, o.category, ALL),
                    (o.part, ALL, o.strategy)):
            groups[key].append(o)
    part_order = {p: i for i, p in enumerate([ALL, *PARTS])}
    cat_order = {c: i for i, c in enumerate([ALL, *CATEGORIES])}
    strat_order = {s: i for i, s in enumerate([ALL, *STRATEGIES])}
    rows = []
    for key in sorted(groups, key=lambda k: (part_order.get(k[0], 99), k[2] != ALL,
                                             cat_order.get(k[1], 99),
                                             strat_order.get(k[2], 99), k)):
        row = _row(*key, groups[key])
        if row is not None:
            rows.append(row)
    return rows


def image_effects(rows: Iterable[AblationRow]) -> list[str]:
    """Part/category slices where the image significantly raises the attack rate over
    both controls (what the summary names)."""
    return [row.label for row in rows
            if row.category != ALL and row.strategy == ALL
            and all(d.image_raises for d in row.differences)]
