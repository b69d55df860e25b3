"""Judges: normalize -> rules -> (embedding) -> LLM judge(s); `build_judge(spec)` builds one.

Kept import-light: the LLM and embedding tiers load only when a spec asks for them.
"""

from __future__ import annotations

from ksafe_pytest.judges.chain import build_judge, judges_harm, parse_spec
from ksafe_pytest.judges.rules import JUDGE_ID as RULES_ID
from ksafe_pytest.judges.rules import RuleJudge, classify

__all__ = ["RULES_ID", "RuleJudge", "build_judge", "classify", "judges_harm", "parse_spec"]
