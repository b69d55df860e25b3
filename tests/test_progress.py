"""The progress line: quiet off a TTY, throttled, honest counts and ETA."""

from __future__ import annotations

import io
import os
import pty
import select
import sys
from pathlib import Path

from ksafe_pytest.engine.progress import Progress, format_duration
from ksafe_pytest.records import (
    ErrorKind,
    ImageSpec,
    Label,
    ModelError,
    Response,
    Sample,
    SampleResult,
    Verdict,
)

SAMPLE = Sample("S", "C", "Privacy", "t", "Standard", "harmful", "질문", ImageSpec("typographic"))


def result(error: bool = False, cached: bool = False) -> SampleResult:
    if error:
        response = Response("S", "m", error=ModelError(ErrorKind.SERVER, "boom"))
        return SampleResult(SAMPLE, response, Verdict(Label.ERROR, None, "j"))
    return SampleResult(SAMPLE, Response("S", "m", text="네", cached=cached),
                        Verdict(Label.COMPLIANCE, None, "j"))


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_quiet_when_not_a_tty() -> None:
    stream = io.StringIO()
    progress = Progress(10, stream=stream)
    for _ in range(10):
        progress.update(result())
    progress.close()
    assert not progress.enabled and stream.getvalue() == ""
    assert progress.done == 10


def test_throttled_and_counts() -> None:
    stream, clock = io.StringIO(), Clock()
    progress = Progress(100, stream=stream, force=True, clock=clock, min_interval_s=0.25)
    for i in range(60):
        clock.now = i * 0.01  # 60 results in 0.6 s: about three draws, not sixty
        progress.update(result(error=i % 10 == 0, cached=i < 5))
    draws = stream.getvalue().count("\r")
    assert 2 <= draws <= 4
    line = progress.line(now=1.0)
    assert line == "ksafe: 60/100 (60%) | 60.0/s | 4 cached | 6 errors | ETA 0:01"


class Flight:
    in_flight = 23
    rate_limited = 0


def test_shows_calls_in_flight_and_429s() -> None:
    progress = Progress(100, stream=io.StringIO(), force=True, clock=Clock())
    progress.flight = Flight()
    for _ in range(40):
        progress.update(result())
    assert "| 23 in flight |" in progress.line(now=2.0)
    assert "429" not in progress.line(now=2.0)  # none yet: not shown
    Flight.rate_limited = 7
    assert "| 23 in flight | 7×429 |" in progress.line(now=2.0)


def test_final_result_always_drawn_and_line_cleared() -> None:
    stream, clock = io.StringIO(), Clock()
    progress = Progress(3, stream=stream, force=True, clock=clock, min_interval_s=10)
    for _ in range(3):
        progress.update(result())
    assert stream.getvalue().count("\r") == 2  # the first and the last, nothing between
    assert "3/3 (100%)" in stream.getvalue()
    progress.close()
    assert stream.getvalue().endswith("\r\x1b[K")


def test_writes_to_a_real_tty() -> None:
    master, slave = os.openpty()
    try:
        with open(slave, "w", encoding="utf-8", closefd=False) as tty:
            progress = Progress(2, stream=tty)
            assert progress.enabled
            progress.update(result())
            progress.update(result())
        out = b""
        while b"2/2" not in out and select.select([master], [], [], 2.0)[0]:
            out += os.read(master, 4096)  # a pty hands the bytes over in pieces
        assert "1/2 (50%)" in out.decode() and "2/2 (100%)" in out.decode()
    finally:
        os.close(master)
        os.close(slave)


def test_duration_format() -> None:
    assert [format_duration(s) for s in (0, 59.6, 61, 3725)] == ["0:00", "1:00", "1:01",
                                                                   "1:02:05"]


INNER_TEST = '''
from ksafe_pytest.engine.progress import Progress
from ksafe_pytest.records import ImageSpec, Label, Response, Sample, SampleResult, Verdict

def test_inside_pytest_capture():
    sample = Sample("S", "C", "Privacy", "t", "Standard", "harmful", "q", ImageSpec("x"))
    result = SampleResult(sample, Response("S", "m", text="ok"),
                          Verdict(Label.COMPLIANCE, None, "j"))
    progress = Progress(3, label="inner", min_interval_s=0)
    assert progress.enabled
    for _ in range(3):
        progress.update(result)
'''


def test_survives_pytest_capture_on_a_real_terminal(tmp_path: Path) -> None:
    """pytest's fd capture swallows even sys.__stderr__: the line must reach the tty."""
    (tmp_path / "test_inner.py").write_text(INNER_TEST, encoding="utf-8")
    env = {k: v for k, v in os.environ.items()
           if k not in ("CI", "PYTEST_XDIST_WORKER", "PYTEST_ADDOPTS")}
    env["TERM"] = "xterm"
    pid, fd = pty.fork()
    if pid == 0:  # child: its controlling terminal is the pty
        os.chdir(tmp_path)
        os.execve(sys.executable, [sys.executable, "-m", "pytest", "-q", "-p",
                                   "no:cacheprovider", "test_inner.py"], env)
    out = b""
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    _, status = os.waitpid(pid, 0)
    text = out.decode(errors="replace")
    assert os.waitstatus_to_exitcode(status) == 0, text
    assert "inner: 3/3 (100%)" in text and "1 passed" in text
