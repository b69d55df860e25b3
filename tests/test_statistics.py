"""The statistical core: cluster-robust intervals, judge-error correction, the clustered
paired test and gate power (ksafe_pytest.stats; no pytest plugin involved)."""

from __future__ import annotations

import random

import pytest

from ksafe_pytest.stats.correction import NO_CALIBRATION, OK, UNDEFINED, BinaryAccuracy, correct
from ksafe_pytest.stats.intervals import clustered_rate, per_sample, wilson
from ksafe_pytest.stats.mcnemar import mcnemar
from ksafe_pytest.stats.paired import clustered_mcnemar
from ksafe_pytest.stats.power import gate_power
from ksafe_pytest.stats.special import beta_quantile, betainc, t_quantile


def width(lo_hi: tuple[float, float]) -> float:
    return lo_hi[1] - lo_hi[0]


@pytest.mark.parametrize(("q", "df", "expected"), [
    (0.975, 1, 12.706205), (0.975, 10, 2.228139), (0.975, 103, 1.983264), (0.9, 3, 1.637744)])
def test_t_quantiles(q: float, df: int, expected: float) -> None:
    assert t_quantile(q, df) == pytest.approx(expected, abs=1e-5)


def test_beta_functions() -> None:
    assert betainc(2, 3, 0.4) == pytest.approx(0.5248, abs=1e-10)
    assert betainc(3, 2, 0.6) == pytest.approx(1 - betainc(2, 3, 0.4), abs=1e-12)
    assert betainc(2, 3, beta_quantile(0.8, 2, 3)) == pytest.approx(0.8, abs=1e-9)
    for q, a, b in [(0.8, 1, 500), (0.2, 300, 2), (0.5, 0.5, 0.5), (0.99, 40, 9000)]:
        assert betainc(a, b, beta_quantile(q, a, b)) == pytest.approx(q, abs=1e-9)


@pytest.mark.parametrize(("k", "n"), [(0, 1), (1, 1), (3, 7), (41, 104), (0, 150), (150, 150)])
def test_singleton_clusters_give_the_per_sample_wilson_interval(k: int, n: int) -> None:
    rate = clustered_rate([(1, 1)] * k + [(0, 1)] * (n - k))
    assert (rate.clusters, rate.design_effect, rate.effective_n) == (n, 1.0, n)
    assert rate.interval == wilson(k, n) == per_sample(k, n).interval


def test_all_equal_clusters_widen_the_interval_about_threefold() -> None:
    # the case: 104 base queries x 11 strategies, each base answered alike
    rate = clustered_rate([(11, 11)] * 41 + [(0, 11)] * 63)
    naive = wilson(rate.k, rate.n)
    assert rate.n == 1144 and rate.clusters == 104
    assert rate.design_effect == pytest.approx(11.1, abs=0.05)
    assert rate.low == pytest.approx(0.306, abs=0.005)
    assert rate.high == pytest.approx(0.490, abs=0.005)
    assert 3.0 < width(rate.interval) / width(naive) < 3.6


def test_independent_verdicts_inside_clusters_stay_close_to_wilson() -> None:
    rng = random.Random(13)
    for _ in range(20):
        counts = [(sum(rng.random() < 0.39 for _ in range(11)), 11) for _ in range(104)]
        rate = clustered_rate(counts)
        assert 1.0 <= width(rate.interval) / width(wilson(rate.k, rate.n)) < 1.3


@pytest.mark.parametrize("k_each", [0, 11])
def test_zero_and_full_rates_keep_exact_edges(k_each: int) -> None:
    rate = clustered_rate([(k_each, 11)] * 104)
    assert rate.design_effect == 1.0
    if k_each == 0:
        assert rate.low == 0.0 and 0 < rate.high < 0.005
    else:
        assert rate.high == 1.0 and 0.995 < rate.low < 1


def test_one_cluster_of_many_samples_says_nothing_about_other_base_queries() -> None:
    rate = clustered_rate([(4, 11)])
    assert rate.value == pytest.approx(4 / 11)
    assert (rate.clusters, rate.low, rate.high) == (1, 0.0, 1.0)
    assert clustered_rate([(1, 1)]).interval == wilson(1, 1)  # one sample is one sample


def test_few_clusters_widen_through_the_t_factor() -> None:
    two = clustered_rate([(3, 10), (7, 10)])
    forty = clustered_rate([(3, 10), (7, 10)] * 20)
    assert width(two.interval) > 0.8 and width(forty.interval) < 0.3


def test_coverage_is_near_95_percent_for_clustered_data() -> None:
    """Seeded simulation: base queries with their own attack rate (beta-distributed, so
    verdicts inside a base correlate), 40 bases x 11 variants. The robust interval covers
    the true rate about 95% of the time; per-sample Wilson would not."""
    rng = random.Random(2026)
    true_rate, reps = 0.3, 400
    robust = naive = 0
    for _ in range(reps):
        counts = []
        for _ in range(40):
            p = rng.betavariate(0.6, 1.4)  # mean 0.3, intra-cluster correlation 0.5
            counts.append((sum(rng.random() < p for _ in range(11)), 11))
        rate = clustered_rate(counts)
        robust += rate.low <= true_rate <= rate.high
        lo, hi = wilson(rate.k, rate.n)
        naive += lo <= true_rate <= hi
    assert 0.92 <= robust / reps <= 0.98
    assert naive / reps < 0.75


# -- judge-error correction ---------------------------------------------------------------

def test_correction_inverts_a_known_judge_error() -> None:
    acc = BinaryAccuracy("j", tp=90, fn=10, tn=80, fp=20)  # Se 0.9, Sp 0.8
    true_p = 0.3
    observed = 0.9 * true_p + 0.2 * (1 - true_p)
    got = correct(observed, observed - 0.02, observed + 0.02, acc)
    assert got.status == OK and got.value == pytest.approx(true_p)
    assert got.low is not None and got.high is not None
    # wider than the observed interval scaled by 1/J: the calibration's uncertainty adds
    assert got.high - got.low > 0.04 / 0.7


def test_perfect_judge_changes_no_rate_but_still_carries_calibration_noise() -> None:
    acc = BinaryAccuracy("j", tp=50, fn=0, tn=100, fp=0)
    got = correct(0.2, 0.15, 0.26, acc)
    assert got.value == pytest.approx(0.2)
    assert got.low is not None and got.high is not None
    assert got.low < 0.15 and got.high > 0.26


def test_correction_clips_to_the_unit_interval() -> None:
    acc = BinaryAccuracy("j", tp=90, fn=10, tn=80, fp=20)
    got = correct(0.1, 0.05, 0.16, acc)  # below the judge's false-positive rate 0.2
    assert got.clipped and got.value == 0.0 and got.low == 0.0
    assert got.high is not None and 0 < got.high < 1


@pytest.mark.parametrize("acc", [BinaryAccuracy("j", tp=5, fn=5, tn=5, fp=5),
                                 BinaryAccuracy("j", tp=2, fn=8, tn=3, fp=7)])
def test_a_judge_no_better_than_chance_has_no_correction(acc: BinaryAccuracy) -> None:
    got = correct(0.4, 0.3, 0.5, acc)
    assert got.status == UNDEFINED and got.value is None and "Se + Sp" in got.note


def test_no_calibration_is_said_plainly() -> None:
    assert correct(0.4, 0.3, 0.5, None).status == NO_CALIBRATION
    one_sided = correct(0.4, 0.3, 0.5, BinaryAccuracy("j", tp=0, fn=0, tn=9, fp=1))
    assert one_sided.status == NO_CALIBRATION and "positive" in one_sided.note


# -- paired tests --------------------------------------------------------------------------

@pytest.mark.parametrize(("b", "c"), [(0, 0), (3, 0), (7, 2), (20, 25), (40, 10)])
def test_clustered_mcnemar_is_mcnemar_for_one_sample_clusters(b: int, c: int) -> None:
    p, method = clustered_mcnemar([(1, 0)] * b + [(0, 1)] * c)
    assert p == pytest.approx(mcnemar(b, c)[0], rel=1e-9)
    assert method == ("none" if b + c == 0 else "exact")


def test_clustered_mcnemar_counts_a_base_query_once() -> None:
    # 9 base queries flipped as wholes (11 variants each): 7 toward unsafe, 2 toward safe
    together = clustered_mcnemar([(11, 0)] * 7 + [(0, 11)] * 2)[0]
    assert together == pytest.approx(mcnemar(7, 2)[0])
    assert mcnemar(77, 22)[0] < 1e-6 < 0.05 < together


def test_clustered_mcnemar_large_counts_use_chi_square() -> None:
    p, method = clustered_mcnemar([(1, 0)] * 80 + [(0, 1)] * 40)
    # no continuity correction: a little below McNemar's chi2-cc p-value
    assert method == "chi2" and 0.5 * mcnemar(80, 40)[0] < p < mcnemar(80, 40)[0]
    assert clustered_mcnemar([(2, 2)])[0] == 1.0


# -- power ---------------------------------------------------------------------------------

def test_power_improves_with_size() -> None:
    small, large = gate_power(0.25, 13), gate_power(0.25, 1144)
    assert small.detectable is not None and large.detectable is not None
    assert 0.25 < large.detectable < 0.27 < 0.35 < small.detectable


def test_power_on_the_bounds() -> None:
    # an upper-bound gate on 5 effective samples cannot pass even a perfect model
    upper = gate_power(0.25, 5, "upper")
    assert upper.passable is None and not upper.can_decide
    # a lower-bound gate on 1 sample can never fail
    assert gate_power(0.25, 1, "lower").detectable is None
    assert gate_power(0.25, 0.4).detectable is None
    assert gate_power(0.25, 1144, "lower").can_decide


# -- calibration files (`ksafe calibrate --save`, `--ksafe-calibration`) -------------------

def test_calibration_file_round_trips(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from ksafe_pytest.stats.correction import (
        accuracy_from_labels,
        read_calibration,
        write_calibration,
    )

    gold = ["refusal", "partial", "compliance", "compliance", "refusal"]
    judged = ["refusal", "refusal", "compliance", "error", "partial"]
    attack = accuracy_from_labels("judge@1", "attack", gold, judged, "mine, 5 answers")
    refusal = accuracy_from_labels("judge@1", "refusal", gold, judged, "mine, 5 answers")
    # the error is left out; attack positive = partial or compliance
    assert (attack.tp, attack.fn, attack.tn, attack.fp) == (1, 1, 1, 1)
    assert (refusal.tp, refusal.fn, refusal.tn, refusal.fp) == (3, 0, 1, 0)
    path = tmp_path / "calibration.json"
    write_calibration(path, [attack, refusal])
    back = read_calibration(path)
    assert back.get("judge@1", "attack") == attack
    assert back.get("judge@1", "refusal") == refusal
    assert back.get("other@1", "attack") is None and back.judges == ["judge@1"]


@pytest.mark.parametrize(("content", "names"), [
    ("{", "line 1"),
    ('{"version": 2, "accuracies": []}', "version"),
    ('{"version": 1}', "accuracies"),
    ('{"version": 1, "accuracies": [{"judge": "j", "measure": "harm", "tp": 1, "fn": 0, '
     '"tn": 1, "fp": 0}]}', "accuracies[0].measure"),
    ('{"version": 1, "accuracies": [{"judge": "j", "measure": "attack", "tp": -1, "fn": 0, '
     '"tn": 1, "fp": 0}]}', "accuracies[0].tp"),
    ('{"version": 1, "accuracies": [{"judge": "j", "measure": "attack", "tp": 1, "fn": 0, '
     '"tn": 1, "fp": 0}, {"judge": "j", "measure": "attack", "tp": 1, "fn": 0, "tn": 1, '
     '"fp": 0}]}', "two accuracies"),
])
def test_a_bad_calibration_file_is_named_with_its_field(tmp_path, content: str,  # type: ignore[no-untyped-def]
                                                        names: str) -> None:
    from ksafe_pytest.errors import ConfigError
    from ksafe_pytest.stats.correction import read_calibration

    path = tmp_path / "cal.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=str(path)) as info:
        read_calibration(path)
    assert names in str(info.value)


def test_baseline_drift_rows_carry_the_clustered_test() -> None:
    from ksafe_pytest.snapshots.records import VerdictRecord, compare
    from ksafe_pytest.stats.mcnemar import mcnemar_by_category

    def record(sid: str, outcome: str) -> VerdictRecord:
        return VerdictRecord(sid, "C", "Privacy", "harmful", outcome, "x", None, "rules@4",
                             None)

    ids = [f"C-b-{v}" for v in range(11)]  # one base query under 11 strategies
    comps = [compare(record(i, "attacked"), record(i, "held")) for i in ids]
    rows = mcnemar_by_category(comps, {i: "C-b" for i in ids})
    cell = next(r for r in rows if r["part"] == "C" and r["category"] == "Privacy")
    assert (cell["to_unsafe"], cell["clusters"], cell["flipped_clusters"]) == (11, 1, 1)
    assert cell["p_value"] < 0.001 and cell["clustered_p"] == 1.0
    alone = mcnemar_by_category(comps)  # no base queries known: each sample its own
    assert next(r for r in alone if r["part"] == "C")["clustered_p"] == cell["p_value"]
