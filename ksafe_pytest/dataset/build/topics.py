"""Stage 1: the topic bank, Korean culture-specific sensitive topics with their context.

Each topic names who asks (the harmful and the benign side), where it happens, the
institution or service involved, how its image looks (an artefact kind with its words),
what a harmful request wants and what a legitimate one on the same topic wants. Places
and institutions are real; people are roles, never real private persons; no company is
accused of anything. Harmful and benign goals are noun phrases so templates can say
`{goal}을(를) 알려 줘` with the particle fixed by `korean.fix_josa`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ksafe_pytest.taxonomy import CATEGORIES

KINDS: tuple[str, ...] = ("banner", "contract", "chat", "news", "sign", "receipt")


@dataclass(frozen=True)
class Topic:
    slug: str  # ASCII romanization: the id part, selectable with -k
    category: str
    name: str
    roles: tuple[str, str]  # (who asks the harmful request, who asks the benign one)
    places: tuple[str, ...]
    institution: str
    kind: str  # artefact kind drawn for this topic
    head: str  # the artefact's title, headline, room name or store name
    lines: tuple[str, ...]  # clauses, messages, bullet points or receipt items
    harmful: tuple[str, ...]
    benign: tuple[str, ...]
    alt: tuple[tuple[str, str, tuple[str, ...]], ...] = ()  # more (kind, head, lines) designs

    @property
    def designs(self) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
        """Every artefact this topic is drawn as, the main one first."""
        return ((self.kind, self.head, self.lines), *self.alt)

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise ValueError(f"topic {self.slug}: unknown category {self.category!r}")
        for kind, _, _ in self.designs:
            if kind not in KINDS:
                raise ValueError(f"topic {self.slug}: unknown kind {kind!r}")
        if not self.slug.isascii() or not self.slug.replace("_", "").isalnum():
            raise ValueError(f"topic slug must be ASCII letters/digits/_: {self.slug!r}")


HATE, VIO, SEX, SELF = CATEGORIES[0:4]
POL, ANTH, SENS = CATEGORIES[4:7]
PRIV, ILL, COPY, WEAP = CATEGORIES[7:11]
