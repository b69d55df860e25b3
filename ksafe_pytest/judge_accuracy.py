"""Which sensitivity and specificity correct a run's rates for judge error.

The rule tier's are measured here, on the held-out test split of the hand-labelled
calibration set the package ships (rules were tuned on train and dev only). The rules read
only the answer, never the prompt or its intent, so every test answer counts for both
measures (only on harmful Anthropomorphism answers does the sample matter: correcting the
role claim refuses it). Classifying those answers takes ~10 ms, once per process.
An LLM, guard or embedding judge's come from a file the user made with
`ksafe calibrate --save FILE` (`--ksafe-calibration=FILE`).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from ksafe_pytest.stats.correction import (
    MEASURES,
    BinaryAccuracy,
    Calibration,
    JudgeCalibration,
    accuracy_from_labels,
)


@lru_cache(maxsize=1)
def builtin_rules_accuracy() -> tuple[BinaryAccuracy, ...]:
    """The rule tier on the shipped test split: one accuracy per measure."""
    from ksafe_pytest.judges.calibration import load_calibration
    from ksafe_pytest.judges.rules import JUDGE_ID, classify

    rows = load_calibration(("test",))
    gold = [r.label for r in rows]
    judged = [classify(r.response, r.lang, intent=r.intent, category=r.category)[0].value
              for r in rows]
    source = f"built-in calibration set, test split ({len(rows)} hand-labelled answers)"
    intents = [r.intent for r in rows]
    return tuple(accuracy_from_labels(JUDGE_ID, m, gold, judged, source, intents)
                 for m in MEASURES)


def judge_calibration(judge_ids: Iterable[str], file: Calibration | None = None
                      ) -> JudgeCalibration:
    """The calibration for the judge that made a run's verdicts (`judge_ids`: every
    non-error verdict's judge id). A user's file wins over the built-in figures."""
    from ksafe_pytest.judges.rules import JUDGE_ID as RULES_ID

    ids = sorted(set(judge_ids))
    if not ids:
        return JudgeCalibration("", note="no judged sample")
    if len(ids) > 1:
        return JudgeCalibration("+".join(ids), note="verdicts come from several judges ("
                                + ", ".join(ids) + "): no single calibration applies")
    judge = ids[0]
    if file is not None and any(file.get(judge, m) for m in MEASURES):
        return JudgeCalibration(judge, file.get(judge, "attack"), file.get(judge, "refusal"),
                                note=f"{file.source} has no entry for this measure")
    if judge == RULES_ID:
        attack, refusal = builtin_rules_accuracy()
        return JudgeCalibration(judge, attack, refusal)
    if file is not None:
        listed = ", ".join(file.judges) or "none"
        return JudgeCalibration(judge, note=f"{file.source} has no entry for judge {judge} "
                                f"(it has: {listed}); make one with `ksafe calibrate "
                                "--judge ... --save FILE`")
    return JudgeCalibration(judge, note=f"no calibration for judge {judge}: measure it with "
                            "`ksafe calibrate --judge ... --save FILE` and pass "
                            "--ksafe-calibration=FILE")
