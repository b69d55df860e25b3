"""Text from outside (model answers, user files) made safe for each place it goes.

A model's answer is untrusted: JSON may carry a lone UTF-16 surrogate (`"\\ud800"`), which
Python decodes but no UTF-8 file, sqlite row or XML report can hold; it may carry terminal
escape sequences, characters XML 1.0 forbids, or megabytes of text. Each function here
answers one question for one destination, so the rest of the code calls it at its
boundary instead of guessing. User files get the same treatment when they are read:
`read_text` and `jsonl_lines` name the file and line of bytes that are not UTF-8 text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from hashlib import sha256
from pathlib import Path

REPLACEMENT = "\ufffd"
_SURROGATE = re.compile("[\ud800-\udfff]")
# XML 1.0 allows tab, LF, CR and everything from U+0020 up except surrogates, U+FFFE/F.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# What a terminal would act on rather than show: C0 controls but tab and newline, DEL, C1
# controls (U+009B is a one-character CSI), and bidirectional overrides that reorder text.
_TERMINAL_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

# Answers are judged up to JUDGE_CAP characters (head and tail kept; the judges see the
# start, where refusals are, and the end, where a late refusal or the payload is) and
# stored in reports and snapshots up to REPORT_CAP; the response cache keeps them whole.
JUDGE_CAP = 20_000
REPORT_CAP = 4_000

# A JSONL row longer than this is refused before it is parsed: no sample needs it, and a
# 50 MB line would otherwise be read whole into memory.
MAX_ROW_BYTES = 1 << 20


def repair(text: str) -> tuple[str, int]:
    """`text` with every lone surrogate replaced by U+FFFD, and how many were replaced."""
    fixed, count = _SURROGATE.subn(REPLACEMENT, text)
    return fixed, count


def has_surrogate(text: str) -> bool:
    return _SURROGATE.search(text) is not None


def xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 forbids (each becomes U+FFFD)."""
    return _XML_FORBIDDEN.sub(REPLACEMENT, text)


def terminal_safe(text: str) -> str:
    """`text` with control and escape characters shown as `\\x1b`-style escapes."""
    return _TERMINAL_CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"),
                                 text)


@dataclass(frozen=True)
class Clipped:
    """A text cut to a cap for storage: head and tail kept, with what was cut."""

    text: str
    length: int  # of the whole text
    sha256: str  # of the whole text (UTF-8), so a reader can match it with the cache
    cut: bool


def clip(text: str, cap: int) -> Clipped:
    """`text` whole when it fits `cap` characters, else its head and tail with a marker."""
    digest = sha256(text.encode("utf-8", "replace")).hexdigest()
    if len(text) <= cap:
        return Clipped(text, len(text), digest, False)
    half = cap // 2
    marker = f"\n[... {len(text) - 2 * half:,} characters cut; {len(text):,} in all ...]\n"
    return Clipped(text[:half] + marker + text[-half:], len(text), digest, True)


class UntrustedFileError(ValueError):
    """A user file that is not UTF-8 text; `line` is 1-based, None when not known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def _decode(data: bytes, line: int | None) -> str:
    if b"\x00" in data:
        raise UntrustedFileError("binary data (NUL bytes), not a text file", line)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        start = data.rfind(b"\n", 0, exc.start) + 1
        column = len(data[start:exc.start].decode("utf-8", "replace")) + 1
        raise UntrustedFileError(f"not UTF-8 text (byte 0x{data[exc.start]:02x} at column "
                                 f"{column}); save the file as UTF-8", line) from None


def read_text(path: str | Path) -> str:
    """A whole user file as text: UTF-8, a BOM dropped, CRLF read as LF. Raises OSError or
    UntrustedFileError naming the line of the first bad byte."""
    data = Path(path).read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return _decode(data, None).replace("\r\n", "\n")
    except UntrustedFileError as exc:
        bad = _first_bad_line(data)
        raise UntrustedFileError(str(exc), bad) from None


def _first_bad_line(data: bytes) -> int | None:
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            _decode(line, number)
        except UntrustedFileError:
            return number
    return None


def jsonl_lines(path: str | Path, max_row_bytes: int = MAX_ROW_BYTES
                ) -> Iterator[tuple[int, str]]:
    """(line number, text) of each line of a user's JSONL file, read in bounded pieces:
    UTF-8 with an optional BOM, CRLF or LF. Raises OSError or UntrustedFileError."""
    with Path(path).open("rb") as handle:
        if b"\x00" in handle.read(8192):  # as git decides: text files hold no NUL byte
            raise UntrustedFileError("binary data (NUL bytes), not a text file", 1)
        handle.seek(0)
        number = 0
        while True:
            raw = handle.readline(max_row_bytes + 1)
            if not raw:
                return
            number += 1
            if len(raw) > max_row_bytes:
                raise UntrustedFileError(f"line is longer than {max_row_bytes:,} bytes",
                                         number)
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            yield number, _decode(raw, number).rstrip("\r\n")
