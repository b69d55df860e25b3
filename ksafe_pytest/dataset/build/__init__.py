"""The construction pipeline (four stages) that generates the built-in benchmark."""

from __future__ import annotations

from ksafe_pytest.dataset.build.pipeline import bank_for, build_samples, dumps, write_jsonl


def topic_names(locale: str = "ko") -> dict[str, str]:
    """Topic slug (as in sample ids and `Sample.topic`) -> its readable name, for reports:
    C topics by their Korean (or Japanese) name, G queries by their key phrase."""
    bank = bank_for(locale)
    names = {q.key: q.phrase for q in bank.g_queries}
    names.update({t.slug: t.name for t in bank.topics})
    if locale == "ko":
        from ksafe_pytest.dataset.build.from_sources import cached_sources

        sources = cached_sources()
        names.update({g.key: g.image.phrase for g in sources.g})
        for c in sources.c:
            names.setdefault(c.topic, c.topic_name or c.topic.replace("_", " "))
    return names


__all__ = ["build_samples", "dumps", "topic_names", "write_jsonl"]
