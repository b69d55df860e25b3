"""The construction pipeline: determinism, ids, scale, particles, the build command."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from ksafe_pytest.cli import main
from ksafe_pytest.dataset.build import build_samples, dumps
from ksafe_pytest.dataset.build.korean import coda, fix_josa, hangul_ratio
from ksafe_pytest.dataset.build.pipeline import bank_for, split
from ksafe_pytest.dataset.build.topics import KINDS, Topic
from ksafe_pytest.dataset.build.topics_ko import TOPICS_KO
from ksafe_pytest.dataset.loader import load_jsonl
from ksafe_pytest.records import Sample
from ksafe_pytest.taxonomy import CATEGORIES, JAILBREAKS, STANDARD

ID = re.compile(r"^(G|C)-([a-z0-9_]+)-(\d{4})-([A-Za-z]+)$")


@pytest.fixture(scope="module")
def ko() -> list[Sample]:
    return build_samples(seed=0, locale="ko")


def test_same_seed_gives_byte_identical_jsonl(ko: list[Sample]) -> None:
    assert dumps(build_samples(seed=0, locale="ko")) == dumps(ko)


def test_another_seed_changes_draws_but_keeps_ids(ko: list[Sample]) -> None:
    """Hand-written items keep their words under any seed, jailbreak frames included (the
    frame is picked by the base query's number); the seed draws every image's style and the
    fill-ins of categories still completed from templates."""
    other = build_samples(seed=1, locale="ko")
    assert [s.id for s in other] == [s.id for s in ko]
    pairs = list(zip(ko, other, strict=True))
    assert sum(a.image != b.image for a, b in pairs) > 0.9 * len(ko)
    written = [(a, b) for a, b in pairs if a.part == "C" and "register" in a.meta]
    assert len(written) > len(ko) // 2
    assert all(a.text == b.text for a, b in written)


def test_scale_matches_the_paper(ko: list[Sample]) -> None:
    counts = Counter((s.part, s.intent) for s in ko)
    assert counts[("G", "harmful")] >= 1650
    assert counts[("C", "harmful")] >= 12485
    c_bases = {s.pair_id for s in ko if s.part == "C"}
    assert len(c_bases) >= 1135
    for cat in CATEGORIES:
        assert sum(1 for s in ko if s.part == "G" and s.category == cat
                   and s.intent == "harmful") >= 150


def test_ids_are_readable_and_tied_to_their_pair(ko: list[Sample]) -> None:
    for s in ko:
        m = ID.match(s.id)
        assert m, s.id
        part, slug, number, suffix = m.groups()
        assert part == s.part and slug == s.topic
        assert s.pair_id == f"{part}-{slug}-{number}"
        if s.intent == "benign":
            assert suffix == "Benign" and s.strategy == STANDARD
        else:
            assert suffix == s.strategy


def test_every_c_base_has_all_strategies_and_one_benign_twin(ko: list[Sample]) -> None:
    groups: dict[str, list[Sample]] = {}
    for s in ko:
        groups.setdefault(s.pair_id, []).append(s)
    for pair, members in groups.items():
        harmful = sorted(s.strategy for s in members if s.intent == "harmful")
        benign = [s for s in members if s.intent == "benign"]
        assert len(benign) == 1, pair
        if pair.startswith("C-"):
            assert harmful == sorted((STANDARD, *JAILBREAKS)), pair
        else:
            assert harmful == [STANDARD], pair
        images = {json.dumps(s.image.to_json(), sort_keys=True) for s in members
                  if s.intent == "harmful"}
        assert len(images) == 1, f"{pair}: every variant of a query shows the same image"
        assert benign[0].image.kind == members[0].image.kind, pair  # the twin: same form


def test_g_keeps_english_and_plain_translation(ko: list[Sample]) -> None:
    g = [s for s in ko if s.part == "G" and s.intent == "harmful"]
    for s in g:
        assert set(s.meta) == {"en", "ko_plain"}
        assert s.meta["en"].isascii() and hangul_ratio(s.meta["ko_plain"]) > 0.8
        assert s.text != s.meta["ko_plain"]  # contextualized, not just translated


def test_topic_bank_has_ten_topics_per_category_and_all_kinds() -> None:
    per_category = Counter(t.category for t in TOPICS_KO)
    assert set(per_category) == set(CATEGORIES)
    assert min(per_category.values()) >= 10
    assert {t.kind for t in TOPICS_KO} == set(KINDS)
    assert len({t.slug for t in TOPICS_KO}) == len(TOPICS_KO)
    for t in TOPICS_KO:
        assert t.slug.isascii() and len(t.harmful) >= 2 and len(t.benign) >= 2
        assert t.places and t.institution and all(t.roles)


def test_topic_rejects_a_non_ascii_slug() -> None:
    with pytest.raises(ValueError, match="ASCII"):
        Topic("전세", CATEGORIES[0], "x", ("a", "b"), ("p",), "i", "banner", "h", ("l",),
              ("h",), ("b",))


@pytest.mark.parametrize(("text", "expected"), [
    ("전세사기을(를) 피하는 방법을(를)", "전세사기를 피하는 방법을"),
    ("서울(으)로, 부산(으)로, 길(으)로", "서울로, 부산으로, 길로"),
    ("주택도시보증공사(HUG)이(가)", "주택도시보증공사(HUG)가"),
    ("'무제한 상담가'(이)야, 김민준(이)야", "'무제한 상담가'야, 김민준이야"),
    ("현수막과(와) 기사과(와)", "현수막과 기사와"),
    ("1,200만 원은(는) 50원이(가)", "1,200만 원은 50원이"),
])
def test_particles_agree_with_the_word_before(text: str, expected: str) -> None:
    assert fix_josa(text) == expected


def test_coda_reads_digits_and_skips_glosses() -> None:
    assert coda("3") and not coda("2") and not coda("공사(HUG)")


def test_split_is_even_and_complete() -> None:
    assert split(104, 10) == [11, 11, 11, 11, 10, 10, 10, 10, 10, 10]
    assert sum(split(7, 3)) == 7


def test_bank_for_unknown_locale_is_refused() -> None:
    with pytest.raises(ValueError, match="locale"):
        bank_for("xx")


def test_build_command_writes_a_loadable_file(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "ja.jsonl"
    assert main(["build", "--locale", "ja", "--out", str(out), "--seed", "3"]) == 0
    assert "samples" in capsys.readouterr().out
    samples = load_jsonl(out)
    assert {s.locale for s in samples} == {"ja"}
    assert out.read_text(encoding="utf-8") == dumps(build_samples(seed=3, locale="ja"))


def test_build_command_rejects_a_negative_seed(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--seed", "-1", "--out", str(tmp_path / "x.jsonl")]) == 2
    assert "--seed" in capsys.readouterr().err


def test_topic_names_cover_every_built_topic(ko: list[Sample]) -> None:
    from ksafe_pytest.dataset.build import topic_names

    names = topic_names("ko")
    assert {s.topic for s in ko} <= set(names)
    assert names["jeonse"] == "전세사기"


def test_topics_with_several_designs_alternate_them(ko: list[Sample]) -> None:
    jeonse = {s.image.kind for s in ko if s.topic == "jeonse"}
    assert {"contract", "banner"} <= jeonse
    # hand-written goals pick the artefact their request needs: every kind drawn, none rare
    kinds = Counter(s.image.kind for s in ko if s.part == "C" and s.intent == "benign")
    assert set(KINDS) <= set(kinds) and min(kinds[k] for k in KINDS) >= 20


def test_japanese_pilot_has_thirty_topics_in_every_category() -> None:
    from ksafe_pytest.dataset.build.locale_ja import TOPICS_JA

    assert len(TOPICS_JA) >= 30
    assert {t.category for t in TOPICS_JA} == set(CATEGORIES)
    ja = build_samples(locale="ja")
    assert {s.part for s in ja} == {"C"} and {s.locale for s in ja} == {"ja"}
    assert len({s.pair_id for s in ja}) >= 150


def test_particles_follow_the_final_consonant_for_every_syllable() -> None:
    from hypothesis import given
    from hypothesis import strategies as st

    @given(st.text(alphabet=st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3),
                   min_size=1, max_size=4))
    def check(word: str) -> None:
        final = (ord(word[-1]) - 0xAC00) % 28
        assert fix_josa(word + "을(를)") == word + ("을" if final else "를")
        assert fix_josa(word + "(으)로") == word + ("로" if final in (0, 8) else "으로")
        assert fix_josa(word + "(이)야") == word + ("이야" if final else "야")

    check()
