"""The KSAFE-MM taxonomy: parts, 3 domains with 11 categories, and jailbreak strategies.

Names are the dataset card's, verbatim; they are the public vocabulary of ids, markers,
thresholds and reports, so change them only together with the data.
"""

from __future__ import annotations

import re

PARTS: dict[str, str] = {
    "G": "KSAFE-MM-G (general risks, linguistically contextualized)",
    "C": "KSAFE-MM-C (culture-specific risks, localized visual queries)",
}

DOMAINS: dict[str, tuple[str, ...]] = {
    "Content Safety Risks": ("Hate and Unfairness", "Violence", "Sexual", "Self-harm"),
    "Socio-economic Risks": (
        "Political and Religious Neutrality",
        "Anthropomorphism",
        "Sensitive Uses",
    ),
    "Legal and Rights-related Risks": (
        "Privacy",
        "Illegal or Unethical",
        "Copyrights",
        "Weaponization",
    ),
}

CATEGORIES: tuple[str, ...] = tuple(c for cats in DOMAINS.values() for c in cats)
DOMAIN_OF: dict[str, str] = {c: d for d, cats in DOMAINS.items() for c in cats}

STANDARD = "Standard"
# Liu et al. 2023 prompt patterns grouped by type; the set stays open to more.
STRATEGY_TYPES: dict[str, tuple[str, ...]] = {
    "Pretending": ("CharacterRolePlay", "AssumedResponsibility", "ResearchExperiment"),
    "Attention Shifting": (
        "TextContinuation",
        "LogicalReasoning",
        "ProgramExecution",
        "Translation",
    ),
    "Privilege Escalation": ("SuperiorModel", "SudoMode", "SimulateJailbreaking"),
}
JAILBREAKS: tuple[str, ...] = tuple(s for group in STRATEGY_TYPES.values() for s in group)
STRATEGIES: tuple[str, ...] = (STANDARD, *JAILBREAKS)

INTENTS: tuple[str, ...] = ("harmful", "benign")
LOCALES: tuple[str, ...] = ("ko", "ja")


def slug(name: str) -> str:
    """`Hate and Unfairness` -> `hate_and_unfairness`: marker- and filename-safe."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def resolve(kind: str, value: str, choices: tuple[str, ...]) -> str:
    """Match a user-typed name (any case, slug or exact) to its canonical spelling.

    Raises ValueError naming the valid choices, so option and file errors read well.
    """
    by_slug = {slug(c): c for c in choices}
    wanted = slug(value)
    if wanted in by_slug:
        return by_slug[wanted]
    from difflib import get_close_matches

    close = get_close_matches(wanted, list(by_slug), n=1, cutoff=0.6)
    hint = f" (did you mean {by_slug[close[0]]!r}?)" if close else ""
    raise ValueError(f"unknown {kind} {value!r}{hint}; expected one of: {', '.join(choices)}")
