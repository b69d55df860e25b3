"""What a locale brings to the build: its topics, templates and word banks. The pipeline
reads a LocaleBank; each locale module (Korean in the pipeline, `locale_ja`) makes one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ksafe_pytest.dataset.build.queries import Context, GenericQuery
from ksafe_pytest.dataset.build.topics import Topic

# The paper's scale: 1,135 visual base queries (we round up to 104 per category).
C_PER_CATEGORY = 104


@dataclass(frozen=True)
class LocaleBank:
    """What a locale contributes: its topics, templates, and (optionally) a G bank."""

    locale: str
    topics: tuple[Topic, ...]
    prefixes: tuple[tuple[str, str], ...]  # (register, text pointing at the image)
    asks: dict[str, dict[str, tuple[str, ...]]]  # goal kind -> register -> endings
    goal_kind: Callable[[str, str], str]  # (goal, category) -> key of `asks`
    join: str  # how prefix, goal and ask make a sentence
    benign: tuple[str, ...]
    nouns: dict[str, tuple[str, ...]]
    fix: Callable[[str], str]
    g_queries: tuple[GenericQuery, ...] = ()
    contexts: tuple[Context, ...] = ()
    outlets: tuple[str, ...] = ()
    c_per_category: int = C_PER_CATEGORY  # visual base queries per category
