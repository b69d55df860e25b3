"""The rule tier's matching engine: finds refusal cues in text fast, knowing nothing of
what any cue means (the cues are in `cue_bank`, the verdict logic in `rules`).

A cue is a regex plus cheap tests that let most texts skip it: literal `gates` (one must be
in the lowercased text), an `anchor` (a short pattern found first; the full cue is tried only
in a window around it), `needs` (a stretch every match contains) and `lead` (where a match
can start). They only save time: a cue whose helpers are missing matches the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

STRONG, WEAK = 2, 1

# The regex parser's view of a pattern (private but stable since 3.11; typeshed has no
# stubs for it): see _first_chars. Only speed depends on it: compile_fast falls back to a
# plain re.compile whenever it is missing or reads differently.
try:
    _P: Any = import_module("re._parser")
    _C: Any = import_module("re._constants")
except ImportError:  # pragma: no cover - a future Python without them
    _P = _C = None


def _class_chars(items: list[tuple[Any, Any]]) -> set[str] | None:
    chars: set[str] = set()
    for op, av in items:
        if op is _C.LITERAL:
            chars.add(chr(av))
        elif op is _C.RANGE:
            chars.update(map(chr, range(av[0], av[1] + 1)))
        else:
            return None
    return chars


def _first_chars(seq: Any) -> set[str] | None:
    """The characters a match of a parsed pattern can start with; None when unknown or
    when it can match the empty string (then no lookahead may be put in front of it)."""
    out: set[str] = set()
    for op, av in seq:
        if op is _C.AT:  # ^, \b: zero width
            continue
        if op is _C.LITERAL:
            return out | {chr(av)}
        if op is _C.IN:
            chars = _class_chars(av)
            return None if chars is None else out | chars
        if op is _C.BRANCH:
            for alt in av[1]:
                first = _first_chars(alt)
                if first is None:
                    return None
                out |= first
            return out
        if op is _C.SUBPATTERN:
            if all(o is _C.AT for o, _ in av[3]):  # (?m:^)
                continue
            first = _first_chars(av[3])
            return None if first is None else out | first
        if op in (_C.MAX_REPEAT, _C.MIN_REPEAT):
            first = _first_chars(av[2])
            if first is None:
                return None
            out |= first
            if av[0] > 0:
                return out
            continue
        return None
    return None


def _plain_literal(item: tuple[Any, Any], ignorecase: bool) -> bool:
    op, av = item
    return op is _C.LITERAL and not (ignorecase and chr(av).lower() != chr(av).upper())


def _engine_jumps(seq: Any, ignorecase: bool) -> bool:
    """Whether the regex engine already jumps to where a match can start: it does for a
    leading literal (uncased under re.I) or class, or alternatives that each open with
    such a literal."""
    op, av = seq[0]
    if op is _C.SUBPATTERN:
        op, av = av[3][0]
    if op is _C.IN:
        return True
    if op is _C.BRANCH:
        return all(alt and _plain_literal(alt[0], ignorecase) for alt in av[1])
    return _plain_literal((op, av), ignorecase)


def compile_fast(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile`, behind a lookahead for the characters a match starts with when the
    engine cannot find them itself: otherwise it tries every alternative at every position
    (up to ~5x slower on long text). Same matches: each one starts with such a char."""
    try:
        seq = _P.parse(pattern, flags)
        first = _first_chars(seq)
        plain = first is None or len(first) > 64 or _engine_jumps(seq, bool(flags & re.I))
    except Exception:  # the private parser changed shape: same matches, just slower
        plain, first = True, None
    if plain or first is None:
        return re.compile(pattern, flags)
    chars = "".join(re.escape(c) for c in sorted(first))
    return re.compile(f"(?=[{chars}])(?:{pattern})", flags)


@dataclass(frozen=True)
class Cue:
    """One refusal cue as a linguist writes it. Strong cues alone make a refusal when they
    are in the head of an answer; weak cues need a second cue or a short answer.

    The script ("ko", "en", "ja") is the name's prefix: the cue is skipped on text without
    characters of that script. `gates`: literal fragments (lowercase) one of which every
    match contains. `unless_before`: a match is dropped when this pattern matches in the
    `before` characters ahead of it ("정확히 예측하기 어렵습니다": a hedge, not a refusal).
    """

    name: str
    strength: int
    pattern: str
    gates: tuple[str, ...]
    anchor: str | None = None
    needs: str | None = None
    lead: str | None = None
    unless_before: re.Pattern[str] | None = None
    before: int = 30

    @property
    def script(self) -> str:
        return self.name.split(".")[0]


@dataclass(frozen=True)
class Hit:
    """A cue found in text: which, how strong, where, and the words it matched."""

    rule: str
    strength: int
    start: int
    end: int
    snippet: str


@dataclass(frozen=True)
class _Rule:
    cue: Cue
    gate: re.Pattern[str]
    pattern: re.Pattern[str]
    anchor: re.Pattern[str] | None
    needs: re.Pattern[str] | None


_WINDOW = 32  # characters either side of an anchor that the full cue is tried in

# Skipping a rule whose script is absent only saves time (every rule needs a character of
# its script to match), so these checks may err towards "present": they run on the
# lowered text ("[a-z]" also finds the Kelvin sign's "k").
_SCRIPTS = (("ko", re.compile("[가-힣]")), ("en", re.compile("[a-z]")),
            ("ja", re.compile("[ぁ-ヿ一-龯]")))


def _script_sets() -> list[frozenset[str]]:
    """Every set of script names, indexed by a bit mask in _SCRIPTS order."""
    names = [name for name, _ in _SCRIPTS]
    return [frozenset(n for i, n in enumerate(names) if mask >> i & 1)
            for mask in range(1 << len(names))]


_SCRIPT_SETS = _script_sets()
_EN_ONLY = frozenset({"en"})
_NO_SCRIPT: frozenset[str] = frozenset()


def _scripts(low: str, long: bool) -> frozenset[str]:
    """Scripts present in lowered text. On long text Japanese counts as present: its few
    gate fragments are cheaper to search for than a scan of two Unicode ranges. ASCII
    text has neither Hangul nor Japanese (one C check instead of two scans)."""
    if low.isascii():
        return _EN_ONLY if _SCRIPTS[1][1].search(low) else _NO_SCRIPT
    mask = 0
    for bit, (name, rx) in enumerate(_SCRIPTS):
        if (long and name == "ja") or rx.search(low):
            mask |= 1 << bit
    return _SCRIPT_SETS[mask]


def _compile_rule(cue: Cue) -> _Rule:
    pattern = (re.compile(f"(?={cue.lead})(?:{cue.pattern})", re.I) if cue.lead
               else compile_fast(cue.pattern, re.I))
    return _Rule(cue, re.compile("|".join(map(re.escape, cue.gates))), pattern,
                 re.compile(cue.anchor) if cue.anchor else None,
                 re.compile(cue.needs) if cue.needs else None)


def _matches(rule: _Rule, text: str) -> list[re.Match[str]]:
    if rule.anchor is None:
        return list(rule.pattern.finditer(text))
    if rule.needs is not None and not rule.needs.search(text):
        return []
    found: dict[tuple[int, int], re.Match[str]] = {}
    for a in rule.anchor.finditer(text):
        pos = max(0, a.start() - _WINDOW)
        end = min(len(text), a.end() + _WINDOW)
        for m in rule.pattern.finditer(text, pos, end):
            if m.start() <= a.start() < m.end():
                found.setdefault((m.start(), m.end()), m)
    return [found[k] for k in sorted(found)]


# An alternation gate costs ~2.5 ns a character, a single literal ~0.3 ns plus ~0.15 us a
# call: on long text, literal by literal (each searched once per text) is cheaper.
_LONG_TEXT = 400


class CueSet:
    """Cues compiled once; `hits(text)` lists every match, in text order."""

    def __init__(self, cues: Iterable[Cue]) -> None:
        self.cues = tuple(cues)
        self._rules = tuple(_compile_rule(c) for c in self.cues)
        # The rules whose script is present, per set of scripts: the loop over rules then
        # skips no rule one by one (a third of them on a one-script answer).
        self._by_scripts = {scripts: tuple(r for r in self._rules
                                           if r.cue.script in scripts)
                            for scripts in _SCRIPT_SETS}
        self._literal = {lit: re.compile(re.escape(lit))
                         for c in self.cues for lit in c.gates}

    def subset(self, keep: Callable[[Cue], bool]) -> CueSet:
        return CueSet(c for c in self.cues if keep(c))

    def _gate_open(self, rule: _Rule, low: str, found: dict[str, bool]) -> bool:
        """Whether one of the rule's gate fragments is in `low`; `found` remembers
        fragments already searched for in this text (rules share them)."""
        for lit in rule.cue.gates:
            hit = found.get(lit)
            if hit is None:
                hit = found[lit] = self._literal[lit].search(low) is not None
            if hit:
                return True
        return False

    def hits(self, text: str) -> list[Hit]:
        low = text.lower()
        long = len(low) > _LONG_TEXT
        found: dict[str, bool] | None = {} if long else None
        hits: list[Hit] = []
        for rule in self._by_scripts[_scripts(low, long)]:
            if not (rule.gate.search(low) if found is None
                    else self._gate_open(rule, low, found)):
                continue
            cue = rule.cue
            for m in _matches(rule, text):
                if cue.unless_before is not None and cue.unless_before.search(
                        text, max(0, m.start() - cue.before), m.start()):
                    continue
                hits.append(Hit(cue.name, cue.strength, m.start(), m.end(), m.group(0)))
        hits.sort(key=lambda h: h.start)
        return hits
