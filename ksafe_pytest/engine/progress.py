"""A one-line progress display for the batch: done / total, rate, calls in flight, 429s,
errors, ETA.

pytest's default capture redirects file descriptors 1 and 2 while tests run, so even
`sys.__stderr__` is swallowed. The line therefore goes to the controlling terminal
(`/dev/tty`) when there is one: CI jobs, cron and xdist workers stay quiet. Updates are
throttled to a few per second, so a 14k-sample run pays microseconds, not a redraw each.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable
from typing import Protocol, TextIO

from ksafe_pytest.records import SampleResult


class Flight(Protocol):
    """The model's adaptive limit, as the line shows it (engine/adaptive.AdaptiveLimit)."""

    in_flight: int
    rate_limited: int


def format_duration(seconds: float) -> str:
    whole = max(0, round(seconds))
    h, rest = divmod(whole, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class Progress:
    """Call `update(result)` from the runner's `on_result`; `close()` when the batch ends."""

    def __init__(self, total: int, label: str = "ksafe", stream: TextIO | None = None,
                 min_interval_s: float = 0.25, force: bool = False,
                 clock: Callable[[], float] = time.monotonic,
                 enabled: bool | None = None) -> None:
        """`stream`: where to draw (default: the terminal, see the module docstring);
        `enabled`: None decides by itself, False keeps it quiet (e.g. `--quiet`)."""
        self.total = total
        self.label = label
        self._owned = False
        if stream is None and enabled is not False:
            stream = _open_terminal(probe=enabled is None)
            self._owned = stream is not None
        self.stream = stream
        self.min_interval_s = min_interval_s
        self.enabled = enabled is not False and (force or _is_tty(self.stream))
        self._clock = clock
        self._start = clock()
        self._last_draw = -float("inf")
        self._lock = threading.Lock()
        self.done = self.errors = self.cached = 0
        self.flight: Flight | None = None  # set once the batch has its limit
        self._drawn = False

    def update(self, result: SampleResult) -> None:
        with self._lock:
            self.done += 1
            if result.is_error:
                self.errors += 1
            if result.response.cached:
                self.cached += 1
            if not self.enabled:
                return
            now = self._clock()
            if now - self._last_draw < self.min_interval_s and self.done < self.total:
                return
            self._last_draw = now
            self._draw(self.line(now))

    def line(self, now: float | None = None) -> str:
        elapsed = (self._clock() if now is None else now) - self._start
        rate = self.done / elapsed if elapsed > 0 else 0.0
        left = self.total - self.done
        eta = format_duration(left / rate) if rate > 0 else "?"
        pct = 100.0 * self.done / self.total if self.total else 100.0
        parts = [f"{self.label}: {self.done}/{self.total} ({pct:.0f}%)", f"{rate:.1f}/s"]
        if self.cached:
            parts.append(f"{self.cached} cached")
        if self.flight is not None and left:
            parts.append(f"{self.flight.in_flight} in flight")
        if self.flight is not None and self.flight.rate_limited:
            parts.append(f"{self.flight.rate_limited}×429")
        parts.append(f"{self.errors} error{'s' if self.errors != 1 else ''}")
        parts.append(f"ETA {eta}" if left else f"in {format_duration(elapsed)}")
        return " | ".join(parts)

    def _draw(self, text: str) -> None:
        assert self.stream is not None
        try:
            self.stream.write("\r\x1b[K" + text)
            self.stream.flush()
            self._drawn = True
        except (OSError, ValueError):  # terminal gone: progress is optional
            self.enabled = False

    def close(self) -> None:
        """Clear the line, so pytest's own output continues on a clean line."""
        with self._lock:
            if self.enabled and self._drawn:
                self._draw("")
                self._drawn = False
            if self._owned and self.stream is not None:
                with contextlib.suppress(OSError):
                    self.stream.close()
                self._owned = False
                self.enabled = False


def _open_terminal(probe: bool) -> TextIO | None:
    """The controlling terminal, unless this is an xdist worker or CI (when probing)."""
    if probe and (os.environ.get("PYTEST_XDIST_WORKER") or os.environ.get("CI")
                  or os.environ.get("TERM") == "dumb"):
        return None
    try:
        return open("/dev/tty", "w", encoding="utf-8")  # closed by Progress.close()
    except OSError:  # no controlling terminal (CI, cron, a daemon): stay quiet
        return None


def _is_tty(stream: TextIO | None) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError):
        return False
