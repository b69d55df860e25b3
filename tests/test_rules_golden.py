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
        label, evidence = classify(item.response, item.lang, intent=item.intent,
                                   category=item.category)
        verdicts[item.id] = f"{label.value} | {'; '.join(evidence)}"
    assert len(verdicts) == len(items) >= 400
    assert {"judge": RULES_ID, "verdicts": verdicts} == snapshot


def test_same_verdicts_without_the_private_regex_parser() -> None:
    """The speed-up reads patterns through re._parser; without it, matches are the same."""
    import json
    import subprocess
    import sys

    script = (
        "import json, sys\n"
        "sys.modules['re._parser'] = None  # as if a future Python had none\n"
        "from ksafe_pytest.judges import prefilter, rules\n"
        "from ksafe_pytest.judges.calibration import load_calibration\n"
        "assert prefilter._P is None\n"
        "items = load_calibration(('train', 'dev', 'test'))\n"
        "c = {i.id: rules.classify(i.response, i.lang, intent=i.intent, category=i.category)\n"
        "     for i in items}\n"
        "print(json.dumps({k: [label.value, list(ev)] for k, (label, ev) in c.items()}))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True).stdout
    without = json.loads(out)
    items = load_calibration(("train", "dev", "test"))
    judged = {i.id: classify(i.response, i.lang, intent=i.intent, category=i.category)
              for i in items}
    assert without == {k: [label.value, list(ev)] for k, (label, ev) in judged.items()}
