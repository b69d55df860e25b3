"""Writing files so that a reader (another xdist worker, a killed run's successor) sees the
old file or the new one, never half of one; and opening the sqlite caches the same way."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from pathlib import Path


def unwritable(path: Path) -> str | None:
    """Why `path` could not be written (its folders made as needed), or None. Checked
    before a run, so that a report path mistake does not surface after hours of calls."""
    if path.is_dir():
        return "it is a folder"
    folder = path.absolute().parent
    existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if existing is None or not existing.is_dir():
        return f"{existing or folder} is not a folder"
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"{existing} is not writable"
    return None


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write beside the target under a name unique to this process and thread, then
    rename over it (atomic on one file system)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        if isinstance(data, str):
            tmp.write_text(data, encoding="utf-8")
        else:
            tmp.write_bytes(data)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


BUSY_TIMEOUT_S = 60.0  # how long a writer waits for another process's transaction


def open_sqlite(path: Path, schema: str,
                busy_timeout_s: float = BUSY_TIMEOUT_S) -> sqlite3.Connection:
    """One connection for all threads of a process (callers serialise with a lock), in WAL
    mode so several processes read and write at once. Raises OSError or sqlite3.Error."""
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + busy_timeout_s
    while True:
        conn = sqlite3.connect(path, timeout=busy_timeout_s, isolation_level=None,
                               check_same_thread=False)
        try:
            _prepare(conn, schema, busy_timeout_s)
            return conn
        except sqlite3.OperationalError as exc:
            conn.close()
            # several processes opening a new file at once: switching it to WAL answers
            # "locked" at once, without waiting out the busy timeout; try again
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _prepare(conn: sqlite3.Connection, schema: str, busy_timeout_s: float) -> None:
    conn.execute(f"PRAGMA busy_timeout={int(busy_timeout_s * 1000)}")
    conn.execute("PRAGMA journal_mode=WAL")
    # NORMAL in WAL mode: a killed process loses nothing committed (only a power cut can
    # lose the last transactions), and commits do not fsync each time.
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.executescript(schema)
