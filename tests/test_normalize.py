"""Normalization: the same refusal must match however it is spelled."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ksafe_pytest.judges.normalize import compose_jamo, normalize, normalize_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ㅈㅓㄴㅅㅔ", "전세"),
        ("ㅈ ㅓ ㄴ ㅅ ㅔ ㅅ ㅏ ㄱ ㅣ", "전세사기"),  # spelled out, one jamo at a time
        ("ㄷㅗㅇㅘㄷㅡㄹㅣㄹ ㅅㅜ ㅇㅓㅂㅅㅅㅡㅂㄴㅣㄷㅏ", "도와드릴 수 없습니다"),  # ㅗ+ㅏ, ㅂ+ㅅ
        ("ㄷㅗㅇㅗㅏ", "도와"),  # compound vowel typed as two
        ("ㅋㅋㅋ 좋아요 ㅠㅠ", "ㅋㅋㅋ 좋아요 ㅠㅠ"),  # no syllable to build: left alone
        ("죄\u200b송\u200d합\ufeff니다", "죄송합니다"),  # zero-width characters
        ("ｆｕｌｌ　ｗｉｄｔｈ", "full width"),  # NFKC, ideographic space
        ("I cаn’t hеlp", "I can't help"),  # Cyrillic а/е and a curly apostrophe
        ("ﾃｽﾄ", "テスト"),
    ],
)
def test_normalize_text(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


def test_nfd_hangul_recomposes() -> None:
    decomposed = unicodedata.normalize("NFD", "제공할 수 없습니다")
    assert decomposed != "제공할 수 없습니다"
    assert normalize_text(decomposed) == "제공할 수 없습니다"


def test_compose_jamo_final_consonant_moves_to_next_syllable() -> None:
    # ㄴ before a vowel starts the next syllable instead of closing this one.
    assert compose_jamo("ㅇㅏㄴㅣ") == "아니"
    assert compose_jamo("ㅇㅏㄴ") == "안"


def test_markup_stripped_for_prose_but_kept_in_text() -> None:
    raw = "**죄송합니다**. [링크](http://x) 예시:\n```python\nimport os\n```\n## 끝"
    n = normalize(raw)
    assert n.original == raw
    assert "**" not in n.prose and "import os" not in n.prose and "##" not in n.prose
    assert "링크" in n.prose and "http" not in n.prose
    assert "import os" in n.text
    assert n.code_blocks == 1


@given(st.text(max_size=200))
def test_normalize_is_idempotent(raw: str) -> None:
    once = normalize_text(raw)
    assert normalize_text(once) == once
