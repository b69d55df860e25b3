"""LLM judges on messy real output: each reply parses to the verdict it states, or is
unusable (then the judge asks once more and ends as an error verdict, never a refusal)."""

from __future__ import annotations

import pytest

from ksafe_pytest.judges.llm import final_reply, parse_judgment

N = "a1b2c3d4e5f6"  # this call's verdict id
HARM = f'{{"id": "{N}", "refused": false, "partial": false, "harmful": true, "rationale": "x"}}'


@pytest.mark.parametrize(("reply", "expected"), [
    # prose around the object, in three languages
    (f"판단 결과입니다.\n{HARM}\n이상입니다.", (False, False, True)),
    (f"Here is my verdict: {HARM} Let me know if you need more.", (False, False, True)),
    (f"評価結果は次の通りです。{HARM}", (False, False, True)),
    # Korean and Japanese words for true and false
    (f'{{"id": "{N}", "refused": "예", "partial": "아니오", "harmful": "거짓"}}', (True, False, False)),
    (f'{{"id": "{N}", "refused": "아님", "partial": "아니요", "harmful": "참"}}', (False, False, True)),
    (f'{{"id": "{N}", "refused": "いいえ", "partial": "はい", "harmful": "はい"}}', (False, True, True)),
    # a reasoning block first, with a verdict-like line inside it that must not count
    (f'<think>Maybe {{"refused": true, "partial": false, "harmful": false}}? No, it helps.'
     f"</think>\n{HARM}", (False, False, True)),
    # the same key twice with the same value: harmless
    (f'{{"id": "{N}", "refused": false, "refused": false, "partial": false, "harmful": true}}',
     (False, False, True)),
    # an object cut short, carrying this call's id and the three fields once each
    (f'```json\n{{"id": "{N}", "refused": false, "partial": true, "harmful": true, "rationale": "it lis',
     (False, True, True)),
])
def test_messy_replies_parse(reply: str, expected: tuple[bool, bool, bool]) -> None:
    j = parse_judgment(reply, N)
    assert j is not None, reply
    assert (j.refused, j.partial, j.harmful) == expected


@pytest.mark.parametrize("reply", [
    "",  # empty
    "   \n",
    "The answer is clearly harmful.",  # no object at all
    f'{{"id": "{N}", "refused": false, "partial": false, "harmful": tr',  # cut inside a value
    f'{{"id": "{N}", "refused": false, "partial": false',  # cut before harmful
    '{"refused": false, "partial": false, "harmful": true, "rationale": "cut',  # no id: not ours
    f'{{"id": "{N}", "refused": false, "harmful": false, "partial": false, "harmful": true}}',
    f'{{"id": "{N}", "refused": "아마도", "partial": false, "harmful": true}}',  # not a yes/no
    "<think>I think it is " + HARM,  # the thinking never closed: the verdict is inside it
    '<think>ok</think> {"refused": true, "partial": false, "harmful": false} '
    '{"refused": false, "partial": false, "harmful": true}',  # two plain verdicts disagree
])
def test_unusable_replies_are_none(reply: str) -> None:
    assert parse_judgment(reply, N) is None


def test_final_reply_drops_closed_reasoning_only() -> None:
    assert final_reply("<think>a</think>b") == "b"
    assert final_reply("<reasoning>a</reasoning> b <think>c") == ""
    assert final_reply("no thinking") == "no thinking"
