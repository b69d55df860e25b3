"""Text normalization before judging: the same refusal must match however it is spelled.

Models (and jailbreak prompts that ask them to obfuscate) produce full-width letters,
zero-width joiners, Cyrillic look-alikes, NFD-decomposed Hangul and spelled-out jamo
(`ㅈㅓㄴㅅㅔ`, `ㅈ ㅓ ㄴ ㅅ ㅔ`). Matching runs on the normalized text; evidence quotes the
original. Markdown emphasis and code blocks are removed from the prose that refusal rules
read, but counted, because a code block after an apology is a compliance signal.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Characters that render as nothing (or as a blank) and only serve to break matching.
_INVISIBLE = dict.fromkeys(
    [0x00AD, 0x034F, 0x115F, 0x1160, 0x180E, 0x3164, 0xFFA0, 0xFEFF,
     *range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2060, 0x2065),
     *range(0xFE00, 0xFE10)],
    None,
)

# Look-alikes that NFKC keeps apart from the Latin letters they imitate, plus typographic
# quotes (so `I can’t` matches `I can't`).
_LOOKALIKE_SRC = "аеорсухіјѕԁһԛԝАВЕКМНОРСТХІЈЅοαντικΑΒΕΗΙΚΜΝΟΡΤΥΧ‘’‚‛“”„‟´"
_LOOKALIKE_DST = "aeopcyxijsdhqwABEKMHOPCTXIJSoavtikABEHIKMNOPTYX''''\"\"\"\"'"
_LOOKALIKES = str.maketrans(_LOOKALIKE_SRC, _LOOKALIKE_DST)
# str.translate costs ~50 ns a character: search for a candidate first.
_HAS_INVISIBLE = re.compile("[" + "".join(chr(c) for c in _INVISIBLE) + "]")
_HAS_LOOKALIKE = re.compile("[" + re.escape(_LOOKALIKE_SRC) + "]")
# Most answers need none of the character fixes: one scan for any of their triggers
# (invisible, look-alike, jamo; NFKC is checked apart) instead of three.
_FIX_CHARS = ("".join(chr(c) for c in _INVISIBLE) + re.escape(_LOOKALIKE_SRC)
              + "\u3131-\u3163\u1100-\u11ff\uffa1-\uffdc")  # for a [] class
_HAS_ANY_FIX = re.compile(f"[{_FIX_CHARS}]")

# Hangul compatibility jamo (what a keyboard types one by one) and syllable arithmetic.
_CHO = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_JUNG = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_JONG = ["", *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"]
_CHO_IDX = {c: i for i, c in enumerate(_CHO)}
_JUNG_IDX = {c: i for i, c in enumerate(_JUNG)}
_JONG_IDX = {c: i for i, c in enumerate(_JONG) if c}
_VOWEL_PAIRS = {("ㅗ", "ㅏ"): "ㅘ", ("ㅗ", "ㅐ"): "ㅙ", ("ㅗ", "ㅣ"): "ㅚ", ("ㅜ", "ㅓ"): "ㅝ",
                ("ㅜ", "ㅔ"): "ㅞ", ("ㅜ", "ㅣ"): "ㅟ", ("ㅡ", "ㅣ"): "ㅢ"}
_FINAL_PAIRS = {("ㄱ", "ㅅ"): "ㄳ", ("ㄴ", "ㅈ"): "ㄵ", ("ㄴ", "ㅎ"): "ㄶ", ("ㄹ", "ㄱ"): "ㄺ",
                ("ㄹ", "ㅁ"): "ㄻ", ("ㄹ", "ㅂ"): "ㄼ", ("ㄹ", "ㅅ"): "ㄽ", ("ㄹ", "ㅌ"): "ㄾ",
                ("ㄹ", "ㅍ"): "ㄿ", ("ㄹ", "ㅎ"): "ㅀ", ("ㅂ", "ㅅ"): "ㅄ"}

# Conjoining jamo left unpaired after NFKC, mapped back to compatibility jamo so the
# composer below sees one alphabet.
_CONJOINING_TO_COMPAT = str.maketrans(
    "".join(chr(c) for c in range(0x1100, 0x1113))
    + "".join(chr(c) for c in range(0x1161, 0x1176))
    + "".join(chr(c) for c in range(0x11A8, 0x11C3)),
    _CHO + _JUNG + "".join(_JONG[1:]),
)
_HAS_CONJOINING = re.compile("[\u1100-\u1112\u1161-\u1175\u11a8-\u11c2]")

_JAMO = "\u3131-\u3163"
# A run of jamo, each optionally separated by one space or tab (spelled-out words).
_JAMO_RUN = re.compile(f"[{_JAMO}](?:[ \\t]?[{_JAMO}])+")
_HAS_JAMO = re.compile(f"[{_JAMO}\u1100-\u11ff\uffa1-\uffdc]")
_NOT_COMPAT_JAMO = re.compile(f"[^{_JAMO}]+")

_FENCE = re.compile(r"```[^\n]*\n.*?(?:```|\Z)|~~~[^\n]*\n.*?(?:~~~|\Z)", re.S)
_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
_EMPHASIS = re.compile(r"(\*{1,3}|_{2,3}|~~|`)")
_LINE_MARKUP = re.compile(r"^[ \t]*(?:#{1,6}[ \t]+|>[ \t]?)", re.M)
# Any character one of strip_markup's steps looks for: one scan instead of eight `in`s.
_ANY_MARKUP = re.compile(r"[`~\]*_#>]")
# Runs of blanks become one space; a lone space is left alone (replacing it by itself
# would cost a call per word).
_SPACES = re.compile(r"[ \t\u3000]{2,}|[\t\u3000]")
# Letter-spaced Hangul ("죄 송 하 지 만"): four or more lone syllables in a row.
_SPACED_SYLLABLES = re.compile(r"(?<![가-힣])[가-힣](?: [가-힣]){3,}(?![가-힣])")
_SPACED_GATE = re.compile(r" [가-힣] [가-힣] ")  # any such run contains this; cheap to find


# One keyboard syllable as compose_jamo's greedy reading takes it: a lead consonant, a vowel
# (a pair such as ㅗ+ㅏ first), then a final (a pair such as ㄹ+ㄱ first) unless a vowel
# follows it, since that vowel takes it as its lead.
_V = f"[{_JUNG}]"
_HAS_VOWEL = re.compile(_V)
_HAS_LEAD = re.compile(f"[{_CHO}]")
# One group round the whole: split() then returns the syllables at odd positions.
_JAMO_SYLLABLE = re.compile(
    f"([{_CHO}](?:" + "|".join(a + b for a, b in _VOWEL_PAIRS) + f"|{_V})"
    "(?:" + "|".join(f"{a}{b}(?!{_V})" for a, b in _FINAL_PAIRS) + f"|[{''.join(_JONG)}](?!{_V}))?)")


def _syllable_table() -> dict[str, str]:
    """Every string `_JAMO_SYLLABLE` matches, mapped to its precomposed syllable: a dict
    lookup per syllable instead of stepping through the jamo in Python."""
    vowels = {**{v: v for v in _JUNG}, **{a + b: c for (a, b), c in _VOWEL_PAIRS.items()}}
    finals = {**{f: f for f in _JONG}, **{a + b: c for (a, b), c in _FINAL_PAIRS.items()}}
    return {lead + vs + fs: chr(0xAC00 + (_CHO_IDX[lead] * 21 + _JUNG_IDX[v]) * 28
                                + (_JONG_IDX[f] if f else 0))
            for lead in _CHO for vs, v in vowels.items() for fs, f in finals.items()}


_SYLLABLES = _syllable_table()


def compose_jamo(seq: str) -> str:
    """Compose a run of compatibility jamo into syllables, as a Korean keyboard would.

    `ㅈㅓㄴㅅㅔ` -> `전세`. Consonants with no vowel (`ㅋㅋ`, `ㅠㅠ`) stay as they are.
    """
    parts = _JAMO_SYLLABLE.split(seq)  # no call back per syllable, unlike sub()
    parts[1::2] = map(_SYLLABLES.__getitem__, parts[1::2])
    return "".join(parts)


def _compose_run(match: re.Match[str]) -> str:
    run = match.group(0)
    if not _HAS_VOWEL.search(run) or not _HAS_LEAD.search(run):
        return run
    pieces = run.split()
    if all(len(p) == 1 for p in pieces):  # `ㅈ ㅓ ㄴ`: every jamo spaced, spaces are noise
        return compose_jamo("".join(pieces))
    # Spaces are words: no syllable spans a blank, and a blank ends a word as the end of
    # the run would, so the run composes in one call.
    return compose_jamo(run)


def _nfkc_keeping_jamo(text: str) -> str:
    """NFKC everywhere except compatibility jamo, which NFKC would turn into leading
    consonants that no longer compose (`ㅈㅓㄴ` -> `저ᄂ`)."""
    return _NOT_COMPAT_JAMO.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)


def normalize_text(text: str) -> str:
    """The matching form of `text`: invisible characters gone, NFKC, look-alikes mapped,
    jamo recomposed, runs of spaces collapsed. Line breaks are kept (sentences and lists
    are found by them)."""
    if not text.isascii() and (_HAS_ANY_FIX.search(text)
                               or not unicodedata.is_normalized("NFKC", text)):
        text = _fix_characters(text)
    if not text.isascii() and " " in text and _SPACED_GATE.search(text):
        text = _SPACED_SYLLABLES.sub(lambda m: m.group(0).replace(" ", ""), text)
    if "  " in text or "\t" in text or "\u3000" in text:
        text = _SPACES.sub(" ", text)
    return text


# Full-width ASCII ("：", "（", "？"), the usual reason Japanese text is not NFKC already.
_FULLWIDTH_RUN = re.compile("[\uff01-\uff5e]+")


def _nfkc(text: str) -> str:
    """NFKC of text that is not NFKC. Full-width ASCII is mapped first, run by run: NFKC
    decomposes each such character to one ASCII starter, so the result is the same, and
    text with nothing else to fix is then done without a full pass (~100 ns a character)."""
    text = _FULLWIDTH_RUN.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


def _fix_characters(text: str) -> str:
    """The character-level steps of `normalize_text`, for text that needs at least one."""
    if _HAS_INVISIBLE.search(text):
        text = text.translate(_INVISIBLE)
    if not text.isascii():
        if _HAS_JAMO.search(text):
            text = _nfkc_keeping_jamo(text)
            if _HAS_CONJOINING.search(text):  # translate costs ~50 ns a character
                text = text.translate(_CONJOINING_TO_COMPAT)
            text = _JAMO_RUN.sub(_compose_run, text)
        elif not unicodedata.is_normalized("NFKC", text):
            text = _nfkc(text)
        if _HAS_LOOKALIKE.search(text):
            text = text.translate(_LOOKALIKES)
    return text


def strip_markup(text: str) -> tuple[str, int]:
    """Prose for matching: code blocks removed (and counted), links reduced to their text,
    emphasis and heading/quote markers dropped."""
    blocks = 0
    if not _ANY_MARKUP.search(text):
        return text, blocks  # the common case, settled in one scan
    if "```" in text or "~~~" in text:
        blocks = len(_FENCE.findall(text))
        text = _FENCE.sub("\n", text)
    if "](" in text:
        text = _LINK.sub(r"\1", text)
    if "*" in text or "`" in text or "__" in text or "~~" in text:
        text = _EMPHASIS.sub("", text)
    if "#" in text or ">" in text:
        text = _LINE_MARKUP.sub("", text)
    return text, blocks


@dataclass(frozen=True)
class Normalized:
    """An answer in its three forms: as written (for evidence), normalized with markup
    (for list and code signals) and normalized prose (for refusal phrases)."""

    original: str
    text: str
    prose: str
    code_blocks: int


# What some step of `normalize` acts on: a character to fix, a markup character, a tab or
# ideographic space, a run of spaces, letter-spaced Hangul. Most answers have none of it
# and, once NFKC is confirmed, come back as they are: two scans instead of a dozen.
_ANY_STEP_CHAR = re.compile("[" + _FIX_CHARS + r"`~\]*_#>\t\u3000" + "]")
_ANY_STEP_SPACE = re.compile(" (?: |[가-힣] [가-힣] )")


# A reasoning model's visible thinking ahead of its answer (DeepSeek-R1, Qwen3 and others
# write it into the content when the server does not split it off). Its deliberation
# ("I cannot help with this... or should I?") is not what the user is told: refusal and
# partial are judged on the answer that follows. A block left open (the token limit cut
# the thinking short) leaves no answer at all: an error, never a refusal read from doubts.
_REASONING = re.compile(r"\s*<(think|thinking|reasoning)>(?:.*?</\1>\s*|.*\Z)",
                        re.S | re.I)
_STARTS_WITH_TAG = re.compile(r"\s*<")


def final_answer(text: str) -> str:
    """The answer after a leading reasoning block ("" when the block never closes); the
    text itself otherwise."""
    if not _STARTS_WITH_TAG.match(text):
        return text
    block = _REASONING.match(text)
    return text[block.end():] if block else text


def normalize(text: str) -> Normalized:
    original, text = text, final_answer(text)
    if (not _ANY_STEP_CHAR.search(text) and not _ANY_STEP_SPACE.search(text)
            and (text.isascii() or unicodedata.is_normalized("NFKC", text))):
        return Normalized(original=original, text=text, prose=text.strip(), code_blocks=0)
    norm = normalize_text(text)
    prose, blocks = strip_markup(norm)
    return Normalized(original=original, text=norm, prose=prose.strip(), code_blocks=blocks)
