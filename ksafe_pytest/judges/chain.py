"""The judge chain and the factory the plugin and the CLI call: `build_judge(spec)`.

Spec grammar (the value of `--ksafe-judge` / `ksafe judge --judge`):
- absent, "" or "rules": the rule tier alone (offline, harm unknown: non-refusal rate);
- "rules+embed": rules, with the embedding tier settling what the rules leave uncertain
  (needs the `embed` extra);
- "MODEL[,MODEL...]": rules, then each MODEL as an LLM judge, combined by a rule;
- "RULE:MODEL[,MODEL...]" with RULE one of majority | any | all: the combine rule declared
  in the spec itself (the `combine` argument otherwise; default majority);
- a MODEL written "guard:KIND@MODEL" is a guard model (kanana, qwen3guard, llamaguard,
  shieldgemma, binary; judges/guard.py): it judges harm, the rules the label.
The LLM verdicts decide label and harm; the rule verdict rides along as evidence (and is
flagged when it disagrees), so a reviewer sees both.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ksafe_pytest.errors import ConfigError
from ksafe_pytest.judges.base import Judge, error_verdict
from ksafe_pytest.judges.ensemble import COMBINE_RULES, combine
from ksafe_pytest.judges.rules import RuleJudge
from ksafe_pytest.records import Label, Response, Sample, Verdict

if TYPE_CHECKING:
    from ksafe_pytest.models import ClientSettings
    from ksafe_pytest.models.base import ModelClient

CHAIN_VERSION = 1
GUARD_PREFIX = "guard:"  # `guard:KIND@MODEL`: a guard model (judges/guard.py)
RULES_SPECS = ("", "rules")
EMBED_SPECS = ("rules+embed", "embed")


class ChainJudge:
    """Rules first (free, always), then the LLM judges combined by `rule`."""

    def __init__(self, rules: RuleJudge, llms: Sequence[Judge], rule: str = "majority") -> None:
        if rule not in COMBINE_RULES:
            raise ConfigError(f"unknown judge combine rule {rule!r}; expected one of: "
                              f"{', '.join(COMBINE_RULES)}")
        if not llms:
            raise ConfigError("a judge chain needs at least one LLM judge")
        self.rules, self.llms, self.rule = rules, tuple(llms), rule
        members = "+".join(j.id for j in self.llms)
        self.id = f"chain@{CHAIN_VERSION}[{rules.id}|{members}|{rule}]"

    def clients(self) -> list[ModelClient]:
        """The judge models' clients, for the check before a run."""
        return [c for j in self.llms for c in j.clients()]

    async def judge(self, sample: Sample, response: Response) -> Verdict:
        if response.error is not None or not response.text.strip():
            return error_verdict(response, self.id)
        by_rules = self.rules.judge_sync(sample, response)
        members = await asyncio.gather(*(j.judge(sample, response) for j in self.llms))
        verdict = combine(members, self.rule, self.id)
        rule_note = [f"rules: {by_rules.label.value}", *by_rules.evidence[:4]]
        if verdict.label is not by_rules.label and by_rules.label.value != "error":
            rule_note.insert(0, "rules_disagree")
        if by_rules.harmful is False and verdict.label is not Label.ERROR:
            # an echo, a loop or no content: nothing beyond what the asker brought, whatever
            # a judge model thought of the words (the rules' evidence says which)
            if by_rules.evidence[-1] not in rule_note:
                rule_note.append(by_rules.evidence[-1])
            return replace(verdict, harmful=False, evidence=(*verdict.evidence, *rule_note))
        return replace(verdict, evidence=(*verdict.evidence, *rule_note))

    async def aclose(self) -> None:
        for j in self.llms:
            await j.aclose()


def parse_spec(spec: str | None, combine_rule: str | None = None
               ) -> tuple[str, tuple[str, ...], str]:
    """(kind, models, rule): kind is "rules", "embed" or "llm"."""
    text = (spec or "").strip()
    if text.lower() in RULES_SPECS:
        return "rules", (), combine_rule or "majority"
    if text.lower() in EMBED_SPECS:
        return "embed", (), combine_rule or "majority"
    rule = combine_rule or "majority"
    head, sep, rest = text.partition(":")
    if sep and head.strip().lower() in COMBINE_RULES:
        rule, text = head.strip().lower(), rest
    elif sep and "/" not in head and head.strip().lower() != GUARD_PREFIX[:-1]:
        _not_a_typo(head.strip() + ":")
    models = tuple(m.strip() for m in text.split(",") if m.strip())
    for model in models:
        if model.startswith(GUARD_PREFIX):
            from ksafe_pytest.judges.guard import parse_guard_spec

            parse_guard_spec(model)  # an unknown guard kind is named before any call
        else:
            _not_a_typo(model)
    if not models:
        raise ConfigError(f"judge spec {spec!r} names no judge model; use 'rules' or "
                          f"'[majority|any|all:]MODEL[,MODEL...]'")
    if rule not in COMBINE_RULES:
        raise ConfigError(f"unknown judge combine rule {rule!r}; expected one of: "
                          f"{', '.join(COMBINE_RULES)}")
    return "llm", models, rule


KEYWORDS = ("rules", "rules+embed", "embed", GUARD_PREFIX, *(f"{r}:" for r in COMBINE_RULES))


def _not_a_typo(model: str) -> None:
    """A judge "model" that is one slip away from a keyword (`rulez`, `majorty:`) is a
    typo, not a model: caught here, before it costs one failed call per sample."""
    from difflib import get_close_matches

    if "/" in model:  # provider/model: a real model name
        return
    close = get_close_matches(model.lower(), KEYWORDS, n=1, cutoff=0.75)
    if close:
        raise ConfigError(f"unknown judge {model!r} (did you mean {close[0].rstrip(':')!r}?); "
                          "a judge model is named with its provider, e.g. "
                          "openai/gpt-4o-mini")


def judges_harm(spec: str | None) -> bool:
    """Whether the judge built from `spec` decides harm (LLM judges): the report then says
    "attack success rate"; otherwise "non-refusal rate"."""
    return parse_spec(spec)[0] == "llm"


def _member(spec: str, client_factory: Callable[[str], ModelClient], concurrency: int
            ) -> Judge:
    """One judge of the chain: `guard:KIND@MODEL` a guard model, anything else an LLM."""
    if spec.startswith(GUARD_PREFIX):
        from ksafe_pytest.judges.guard import GuardJudge, parse_guard_spec

        kind, model = parse_guard_spec(spec)
        return GuardJudge(client_factory(model), kind, model, concurrency=concurrency)
    from ksafe_pytest.judges.llm import LLMJudge

    return LLMJudge(client_factory(spec), spec, concurrency=concurrency)


def build_judge(spec: str | None = None, *, settings: ClientSettings | None = None,
                combine_rule: str | None = None, cache_dir: str | Path | None = None,
                refresh: bool = False, fresh_since: float | None = None,
                concurrency: int = 8,
                client_factory: Callable[[str], ModelClient] | None = None) -> Judge:
    """The judge for a spec (grammar in the module docstring).

    `settings` are the judge models' client settings (their own api_base / key env, not
    necessarily the model under test's). `cache_dir` wraps LLM chains in the verdict cache
    (`refresh=True`: re-judge and overwrite, for `--ksafe-rejudge`; `fresh_since`: read
    only verdicts stored since then, see CachedJudge). `client_factory`
    replaces `models.resolve_client` (tests, custom transports).
    """
    kind, models, rule = parse_spec(spec, combine_rule)
    if kind == "rules":
        return RuleJudge()
    if kind == "embed":
        from ksafe_pytest.judges.embedding import EmbeddingJudge

        judge: Judge = EmbeddingJudge()
    else:
        if client_factory is None:
            from ksafe_pytest.models import resolve_client

            def client_factory(model: str) -> ModelClient:
                return resolve_client(model, settings)

        judge = ChainJudge(RuleJudge(), [_member(m, client_factory, concurrency)
                                         for m in models], rule)
    if cache_dir is not None and kind == "llm":
        from ksafe_pytest.judges.cache import CachedJudge, JudgeCache

        judge = CachedJudge(judge, JudgeCache(cache_dir), refresh=refresh,
                            fresh_since=fresh_since)
    return judge
