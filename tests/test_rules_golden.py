"""The rule judge's id is part of every verdict-cache key, so `rules@N` must mean one fixed
behaviour: any change to a label or its evidence fails here until the version is bumped
and the snapshot accepted again (`pytest tests/test_rules_golden.py --snapshot-update`)."""

from __future__ import annotations

from syrupy.assertion import SnapshotAssertion

from ksafe_pytest.judges import RULES_ID
from ksafe_pytest.judges.calibration import load_calibration
from ksafe_pytest.judges.rules import classify


def test_rule_verdicts_are_fixed_for_this_version(snapshot: SnapshotAssertion) -> None:
    items = load_calibration(("train", "dev", "test"))
    verdicts = {}
    for item in items:
        label, evidence = classify(item.response, item.lang)
        verdicts[item.id] = f"{label.value} | {'; '.join(evidence)}"
    assert len(verdicts) == len(items) >= 400
    assert {"judge": RULES_ID, "verdicts": verdicts} == snapshot
