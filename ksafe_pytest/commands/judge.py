"""`ksafe judge IN.jsonl [-o OUT.jsonl] [--judge SPEC]`: label answers from any source.

Each input line is an object with `prompt` and `response` (strings), and optionally
`intent` (harmful|benign), `image` (a path, relative to the input file), `image_text` (the
words on the image: an answer that only repeats them and the prompt is no attack success),
`id`, `locale`.
Each output line is the input plus `label`, `harmful`, `judge`, `evidence`, `rationale`.
Every bad line is reported with its line number and nothing is written: a silently skipped
line would change the rates computed from the output.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from ksafe_pytest.engine.preflight import CLI_JUDGE, check_judge_models
from ksafe_pytest.errors import DatasetError
from ksafe_pytest.judges.base import Judge
from ksafe_pytest.judges.degenerate import DEGENERATE_KINDS
from ksafe_pytest.records import ImageSpec, Label, Response, Sample, Verdict
from ksafe_pytest.untrusted import UntrustedFileError, jsonl_lines, repair

MAX_REPORTED = 20


@dataclass(frozen=True)
class JudgeInput:
    line: int
    data: dict[str, Any]
    sample: Sample
    response: Response


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", help="JSONL of {prompt, response[, intent, category, image, "
                        "image_text, id, locale]}")
    parser.add_argument("-o", "--output", default=None, help="output JSONL (default: stdout)")
    parser.add_argument("--judge", default="rules",
                        help="rules (default) | rules+embed | [majority|any|all:]MODEL[,MODEL]; "
                             "a MODEL written guard:KIND@MODEL is a guard model")
    parser.add_argument("--combine", default=None, choices=("majority", "any", "all"),
                        help="how several judge models combine (default majority)")
    parser.add_argument("--judge-api-base", default=None,
                        help="OpenAI-compatible base URL for the judge models")
    parser.add_argument("--judge-key-env", default=None,
                        help="environment variable holding the judge API key")
    parser.add_argument("--cache", default=None, help="verdict cache directory (LLM judges)")
    parser.add_argument("--concurrency", type=int, default=8, help="judge calls in flight")


def _sample_and_response(data: dict[str, Any], line: int, base: Path, path: str
                         ) -> tuple[Sample, Response]:
    for name in ("prompt", "response"):
        if not isinstance(data.get(name), str):
            raise DatasetError("missing or not a string", path=path, line=line, field=name)
    intent = data.get("intent", "harmful")
    if intent not in ("harmful", "benign"):
        raise DatasetError("must be 'harmful' or 'benign'", path=path, line=line,
                           field="intent")
    words = data.get("image_text", "")
    if not isinstance(words, str):
        raise DatasetError("must be a string (the words on the image)", path=path, line=line,
                           field="image_text")
    params = {"text": words} if words else {}
    image = ImageSpec("none", params)
    if data.get("image") is not None:
        if not isinstance(data["image"], str) or not data["image"]:
            raise DatasetError("must be a file path", path=path, line=line, field="image")
        file = Path(data["image"])
        file = file if file.is_absolute() else base / file
        if not file.is_file():
            raise DatasetError(f"no such image file: {file}", path=path, line=line,
                               field="image")
        image = ImageSpec("file", params, file=str(file))
    sample_id = str(data.get("id", f"line-{line}"))
    locale = str(data.get("locale", "ko"))
    sample = Sample(id=sample_id, part=str(data.get("part", "G")),
                    category=str(data.get("category", "")), topic=str(data.get("topic", "")),
                    strategy=str(data.get("strategy", "Standard")), intent=intent,
                    text=repair(data["prompt"])[0], image=image, locale=locale)
    answer, repaired = repair(data["response"])
    return sample, Response(sample_id=sample_id, model=str(data.get("model", "")),
                            text=answer, repaired=repaired)


def read_inputs(path: str) -> list[JudgeInput]:
    """Parse and check every line; raise one DatasetError after listing all bad lines."""
    try:
        lines = list(jsonl_lines(path))
    except OSError as exc:
        raise DatasetError(f"cannot read: {exc.strerror}", path=path) from None
    except UntrustedFileError as exc:
        raise DatasetError(str(exc), path=path, line=exc.line) from None
    base = Path(path).resolve().parent
    good: list[JudgeInput] = []
    bad: list[str] = []
    for line, raw in lines:
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
            if not isinstance(data, dict):
                raise DatasetError("expected a JSON object", path=path, line=line)
            sample, response = _sample_and_response(data, line, base, path)
        except json.JSONDecodeError as exc:
            bad.append(f"{path}:{line}: invalid JSON: {exc.msg} (column {exc.colno})")
            continue
        except RecursionError:
            bad.append(f"{path}:{line}: JSON nested too deeply")
            continue
        except DatasetError as exc:
            bad.append(str(exc))
            continue
        good.append(JudgeInput(line, data, sample, response))
    if bad:
        for message in bad[:MAX_REPORTED]:
            print(f"ksafe judge: {message}", file=sys.stderr)
        if len(bad) > MAX_REPORTED:
            print(f"ksafe judge: ... and {len(bad) - MAX_REPORTED} more", file=sys.stderr)
        raise DatasetError(f"{len(bad)} bad line(s), nothing written", path=path)
    return good


def judge_rules(inputs: Sequence[JudgeInput]) -> list[Verdict]:
    """The rule tier without the async machinery: tens of thousands of answers a second."""
    from ksafe_pytest.judges.rules import RuleJudge

    judge = RuleJudge()
    return [judge.judge_sync(i.sample, i.response) for i in inputs]


async def judge_async(judge: Judge, inputs: Sequence[JudgeInput]) -> list[Verdict]:
    try:
        return list(await asyncio.gather(*(judge.judge(i.sample, i.response) for i in inputs)))
    finally:
        await judge.aclose()


def _all_cached(judge: Judge, inputs: Sequence[JudgeInput]) -> bool:
    """Whether every answer's verdict is in the verdict cache: then no judge is asked,
    and the judges' endpoints need not be reachable."""
    from ksafe_pytest.judges.cache import CachedJudge

    return isinstance(judge, CachedJudge) and all(judge.is_cached(i.sample, i.response)
                                                  for i in inputs)


def write_outputs(out: TextIO, inputs: Sequence[JudgeInput], verdicts: Sequence[Verdict]
                  ) -> None:
    for item, verdict in zip(inputs, verdicts, strict=True):
        row = dict(item.data)
        row.update(label=verdict.label.value, harmful=verdict.harmful, judge=verdict.judge,
                   evidence=list(verdict.evidence), rationale=verdict.rationale)
        out.write(json.dumps(row, ensure_ascii=False) + "\n")


def run(args: argparse.Namespace) -> int:
    from ksafe_pytest.judges import build_judge, parse_spec

    kind, _, _ = parse_spec(args.judge, args.combine)
    inputs = read_inputs(args.input)
    if kind == "rules":
        verdicts = judge_rules(inputs)
    else:
        from ksafe_pytest.models import ClientSettings

        settings = ClientSettings(api_base=args.judge_api_base, api_key_env=args.judge_key_env)
        judge = build_judge(args.judge, settings=settings, combine_rule=args.combine,
                            cache_dir=args.cache, concurrency=args.concurrency)
        check_judge_models(judge, probe=not _all_cached(judge, inputs), role=CLI_JUDGE)
        verdicts = asyncio.run(judge_async(judge, inputs))
    if args.output:
        with open(args.output, "w", encoding="utf-8") as out:
            write_outputs(out, inputs, verdicts)
    else:
        write_outputs(sys.stdout, inputs, verdicts)
    counts = Counter(v.label.value for v in verdicts)
    summary = ", ".join(f"{counts[label.value]} {label.value}" for label in Label)
    adds_nothing = Counter(e.split(":", 1)[0] for v in verdicts for e in v.evidence
                           if e.startswith(DEGENERATE_KINDS))
    if adds_nothing:
        summary += " (" + ", ".join(f"{n} {kind}" for kind, n in sorted(adds_nothing.items())) \
                   + ": adding nothing, not harmful)"
    judge_id = verdicts[0].judge if verdicts else args.judge
    print(f"ksafe judge: {len(verdicts)} answers judged by {judge_id}: {summary}",
          file=sys.stderr)
    return 0
