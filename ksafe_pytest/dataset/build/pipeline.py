"""Assemble the benchmark: topics -> queries -> image specs -> jailbreak variants.

Everything random is drawn from `random.Random` seeded by a hash of (seed, what, where), so
the same sources and seed give the same samples in the same order, on every machine and
Python version (never `hash()`, which is salted per process).
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ksafe_pytest.dataset.build.checks import run_checks
from ksafe_pytest.dataset.build.from_sources import (
    SourceError,
    c_item_samples,
    cached_sources,
    g_item_samples,
)
from ksafe_pytest.dataset.build.jailbreaks import wrap
from ksafe_pytest.dataset.build.korean import fix_josa
from ksafe_pytest.dataset.build.locale_bank import LocaleBank
from ksafe_pytest.dataset.build.queries import (
    ASKS_KO,
    BENIGN_KO,
    CONTEXTS,
    NOUN_KO,
    PREFIXES_KO,
    goal_kind_ko,
)
from ksafe_pytest.dataset.build.sources import CItem, GItem, Sources
from ksafe_pytest.dataset.build.topics import Topic
from ksafe_pytest.fileio import write_atomic
from ksafe_pytest.records import ImageSpec, Sample, sha256_hex
from ksafe_pytest.taxonomy import CATEGORIES, JAILBREAKS, STANDARD

G_PER_CATEGORY = 150  # the paper's 1,650 general samples
BENIGN = "Benign"

_DATE_FMT = {"ko": "{y}. {m}. {d}.", "ja": "{y}年{m}月{d}日"}


def korean_bank() -> LocaleBank:
    from ksafe_pytest.dataset.build.g_bank import G_QUERIES
    from ksafe_pytest.dataset.build.topics_ko import TOPICS_KO

    return LocaleBank(locale="ko", topics=TOPICS_KO, prefixes=PREFIXES_KO, asks=ASKS_KO,
                      goal_kind=goal_kind_ko, join="{prefix} {goal}을(를) {ask}",
                      benign=BENIGN_KO, nouns=NOUN_KO, fix=fix_josa, g_queries=G_QUERIES, contexts=CONTEXTS,
                      outlets=("한빛일보", "새날뉴스", "누리경제", "아침신문", "온세상TV"))


def bank_for(locale: str) -> LocaleBank:
    if locale == "ko":
        return korean_bank()
    if locale == "ja":
        from ksafe_pytest.dataset.build.locale_ja import japanese_bank

        return japanese_bank()
    raise ValueError(f"no construction bank for locale {locale!r}")


def rng_for(seed: int, *parts: str) -> random.Random:
    return random.Random(int(sha256_hex("\x1f".join([str(seed), *parts]))[:16], 16))


@dataclass
class _Texts:
    """Every query text emitted so far: the pipeline never emits a duplicate."""

    seen: set[str] = field(default_factory=set)

    def take(self, candidates: Iterable[str]) -> str | None:
        for text in candidates:
            if text not in self.seen:
                self.seen.add(text)
                return text
        return None


def split(total: int, n: int) -> list[int]:
    """`total` spread over `n` buckets as evenly as possible, larger ones first."""
    return [total // n + (1 if i < total % n else 0) for i in range(n)]


def _interleaved(rng: random.Random, goals: int, *sizes: int) -> Iterator[tuple[int, ...]]:
    """Combinations (goal, *others), shuffled, cycling through goals so each is used
    about equally often."""
    import itertools

    per_goal: list[list[tuple[int, ...]]] = []
    for g in range(goals):
        combos = [(g, *rest) for rest in itertools.product(*(range(s) for s in sizes))]
        rng.shuffle(combos)
        per_goal.append(combos)
    for row in itertools.zip_longest(*per_goal):
        for combo in row:
            if combo is not None:
                yield combo


def _style(rng: random.Random, locale: str) -> dict[str, object]:
    style: dict[str, object] = {"palette": rng.randrange(8), "layout": rng.randrange(3),
                                "seed": rng.randrange(1_000_000)}
    if locale != "ko":
        style["lang"] = locale  # the renderer picks a font that covers the script
    return style


def _date(rng: random.Random, locale: str) -> str:
    return _DATE_FMT.get(locale, _DATE_FMT["ko"]).format(
        y=rng.choice((2024, 2025, 2026)), m=rng.randrange(1, 13), d=rng.randrange(1, 29))


def _image(topic: Topic, design: int, place: str, rng: random.Random,
           bank: LocaleBank) -> ImageSpec:
    kind, head, lines = topic.designs[design]
    params: dict[str, object] = {"title": head, "lines": list(lines),
                                 "place": place, "org": topic.institution,
                                 "date": _date(rng, bank.locale)}
    if kind == "news" and bank.outlets:
        params["outlet"] = bank.outlets[rng.randrange(len(bank.outlets))]
    params["style"] = _style(rng, bank.locale)
    return ImageSpec(kind=kind, params=params)


def _fill(bank: LocaleBank, template: str, **slots: str) -> str:
    return bank.fix(template.format(**slots))


def _source_wrap(strategy: str, query: str, register: str, number: int, category: str) -> str:
    return wrap(strategy, query, "ko", number, register=register, category=category)


def c_samples(bank: LocaleBank, seed: int, per_category: int, texts: _Texts,
              strategies: Sequence[str] = JAILBREAKS,
              sources: Sequence[CItem] = ()) -> list[Sample]:
    """KSAFE-MM-C: per base query, Standard + each jailbreak + a benign twin. A category's
    hand-written items come first; templates fill it up to `per_category` while its
    sources are still being written."""
    out: list[Sample] = []
    numbers: Counter[str] = Counter()
    for category in CATEGORIES:
        written = [c for c in sources if c.category == category]
        for item in written:
            numbers[item.topic] += 1
            rng = rng_for(seed, bank.locale, "C-source", item.key)
            made = c_item_samples(item, numbers[item.topic], rng, strategies, _source_wrap)
            out.extend(_taken(texts, made))
        topics = [t for t in bank.topics if t.category == category]
        wanted = max(0, per_category - len(written))
        if not topics or not wanted:
            continue
        for topic, count in zip(topics, split(wanted, len(topics)), strict=True):
            out.extend(_topic_samples(bank, topic, count, seed, texts, strategies,
                                      first=numbers[topic.slug]))
    return out


def _taken(texts: _Texts, samples: list[Sample]) -> list[Sample]:
    """Hand-written samples enter the set of texts; an exact repeat is a source error."""
    for s in samples:
        if texts.take([s.text]) is None:
            raise SourceError([f"{s.id}: the same text as another sample: {s.text[:60]!r}"])
    return samples


def _topic_samples(bank: LocaleBank, topic: Topic, count: int, seed: int, texts: _Texts,
                   strategies: Sequence[str], first: int = 0) -> list[Sample]:
    rng = rng_for(seed, bank.locale, "C", topic.slug)
    n_nouns = min(len(bank.nouns[kind]) for kind, _, _ in topic.designs)
    n_asks = max(len(v) for kinds in bank.asks.values() for v in kinds.values())
    harm_combos = _interleaved(rng, len(topic.harmful), len(bank.prefixes), n_asks,
                               len(topic.places), n_nouns)
    benign_rng = rng_for(seed, bank.locale, "C-benign", topic.slug)
    benign_combos = list(_interleaved(benign_rng, len(topic.benign), len(bank.benign),
                                      n_nouns))
    out: list[Sample] = []
    for n in range(1, count + 1):
        design = (n - 1) % len(topic.designs)  # alternate the topic's artefacts
        nouns = bank.nouns[topic.designs[design][0]]
        place_idx = 0
        query = None
        for g, t, a, p, k in harm_combos:
            goal = topic.harmful[g]
            register, prefix = bank.prefixes[t]
            asks = bank.asks[bank.goal_kind(goal, topic.category)][register]
            slots = {"noun": nouns[k], "place": topic.places[p], "who": topic.roles[0],
                     "inst": topic.institution}
            text = bank.fix(bank.join.format(prefix=prefix.format(**slots), goal=goal,
                                             ask=asks[a % len(asks)]))
            if texts.take([text]):
                query, place_idx = text, p
                break
        if query is None:
            raise ValueError(f"topic {topic.slug}: templates give only {n - 1} distinct "
                             f"queries, {count} wanted")
        place = topic.places[place_idx]
        image = _image(topic, design, place, rng, bank)
        pair = f"C-{topic.slug}-{first + n:04d}"
        common = {"part": "C", "category": topic.category, "topic": topic.slug,
                  "image": image, "locale": bank.locale, "pair_id": pair}
        out.append(Sample(id=f"{pair}-{STANDARD}", strategy=STANDARD, intent="harmful",
                          text=query, **common))  # type: ignore[arg-type]
        for strategy in strategies:
            out.append(Sample(id=f"{pair}-{strategy}", strategy=strategy, intent="harmful",
                              text=wrap(strategy, query, bank.locale, first + n,
                                        category=topic.category),
                              **common))  # type: ignore[arg-type]
        start = (n * 7) % len(benign_combos)
        rotated = benign_combos[start:] + benign_combos[:start]
        benign = texts.take(
            _fill(bank, bank.benign[t], goal=topic.benign[g], noun=nouns[k], place=place,
                  who=topic.roles[1], inst=topic.institution) for g, t, k in rotated)
        if benign is None:
            raise ValueError(f"topic {topic.slug}: no distinct benign query left for {pair}")
        out.append(Sample(id=f"{pair}-{BENIGN}", strategy=STANDARD, intent="benign",
                          text=benign, **common))  # type: ignore[arg-type]
    return out


def g_samples(bank: LocaleBank, seed: int, per_category: int, texts: _Texts,
              sources: Sequence[GItem] = ()) -> list[Sample]:
    """KSAFE-MM-G: the hand-written items of a category, then (while they are still being
    written) template queries contextualized in several Korean settings up to
    `per_category`."""
    out: list[Sample] = []
    for category in CATEGORIES:
        written = [g for g in sources if g.category == category]
        for item in written:
            out.extend(_taken(texts, g_item_samples(
                item, rng_for(seed, bank.locale, "G-source", item.key))))
        queries = [q for q in bank.g_queries if q.category == category]
        wanted = max(0, per_category - len(written))
        if not queries or not wanted:
            continue
        for query, count in zip(queries, split(wanted, len(queries)), strict=True):
            rng = rng_for(seed, bank.locale, "G", query.key)
            contexts = list(bank.contexts)
            rng.shuffle(contexts)
            made = 0
            for ctx in contexts:
                if made == count:
                    break
                harmful = texts.take([bank.fix(query.ctx.format(**ctx.fields()))])
                benign = texts.take([bank.fix(query.benign.format(**ctx.fields()))])
                if harmful is None or benign is None:
                    continue
                made += 1
                pair = f"G-{query.key}-{made:04d}"
                image = ImageSpec(kind="typographic", params={
                    "title": f"{ctx.place} · {ctx.app}", "text": query.phrase,
                    "lines": ["1.", "2.", "3."], "style": _g_style(rng)})
                common = {"part": "G", "category": category, "topic": query.key,
                          "image": image, "locale": bank.locale, "pair_id": pair}
                out.append(Sample(id=f"{pair}-{STANDARD}", strategy=STANDARD,
                                  intent="harmful", text=harmful,
                                  meta={"en": query.en, "ko_plain": query.ko_plain},
                                  **common))  # type: ignore[arg-type]
                out.append(Sample(id=f"{pair}-{BENIGN}", strategy=STANDARD, intent="benign",
                                  text=benign, **common))  # type: ignore[arg-type]
            if made < count:
                raise ValueError(f"G query {query.key}: only {made} distinct contexts, "
                                 f"{count} wanted")
    return out


_G_BACKGROUNDS = ("#ffffff", "#fffbe6", "#f2f6ff", "#f7f7f7", "#fff0f0", "#eefaf0")
_G_COLORS = ("#111111", "#1a237e", "#b71c1c", "#004d40", "#3e2723")


def _g_style(rng: random.Random) -> dict[str, str]:
    return {"background": rng.choice(_G_BACKGROUNDS), "color": rng.choice(_G_COLORS)}


def checked_sources(root: Path | None = None) -> Sources:
    """The hand-written sources, refused (SourceError) when a check finds an error;
    problems left for review do not stop a build (`ksafe build --check` lists them)."""
    sources = cached_sources(root)
    errors = [p for p in run_checks(sources) if p.severity == "error"]
    if errors:
        raise SourceError(errors)
    return sources


def build_samples(seed: int = 0, locale: str = "ko", *, c_per_category: int | None = None,
                  g_per_category: int | None = None, bank: LocaleBank | None = None,
                  sources: Sources | None = None) -> list[Sample]:
    """The whole benchmark for `locale`, deterministic in `seed`, the sources and the
    banks. Korean reads the hand-written sources (checked) unless `sources` is given."""
    bank = bank or bank_for(locale)
    if sources is None:
        sources = checked_sources() if locale == "ko" else Sources((), (), (), ())
    texts = _Texts()
    g_count = G_PER_CATEGORY if g_per_category is None else g_per_category
    c_count = bank.c_per_category if c_per_category is None else c_per_category
    samples = g_samples(bank, seed, g_count, texts, sources.g) \
        if bank.g_queries or sources.g else []
    samples += c_samples(bank, seed, c_count, texts, sources=sources.c)
    return samples


def dumps(samples: Iterable[Sample]) -> str:
    """The JSONL text: one `Sample.to_json()` per line, compact, Korean readable."""
    return "".join(json.dumps(s.to_json(), ensure_ascii=False, separators=(",", ":")) + "\n"
                   for s in samples)


def write_jsonl(samples: Iterable[Sample], path: Path) -> int:
    """Write atomically; returns the byte size."""
    data = dumps(samples).encode("utf-8")
    write_atomic(path, data)
    return len(data)
