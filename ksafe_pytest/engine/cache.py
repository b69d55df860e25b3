"""The response cache: a re-run costs nothing and a killed run resumes where it stopped.

One sqlite file in WAL mode under a directory (default `.ksafe_cache/`). Readers never
block the writer; several processes (xdist workers) write at once, each put its own short
transaction, waiting on a busy lock rather than failing. Every answer is written as it
arrives, so a run killed midway keeps everything it had already paid for.

Keys are `Request.key(render_id)`: model id, generation parameters, text and the image
spec's hash plus the renderer version. A `scope` (the API base URL) separates the same
model name served by different endpoints. Errors and empty answers are never stored: an
outage must not be replayed as an answer.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ksafe_pytest.errors import ConfigError
from ksafe_pytest.fileio import open_sqlite
from ksafe_pytest.records import Response, Usage, sha256_hex

IMAGES = "images"  # rendered images kept beside the answers: DIR/images/
DEFAULT_DIR = ".ksafe_cache"
FILENAME = "responses.sqlite"
SCHEMA_VERSION = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS responses (
    key TEXT PRIMARY KEY,
    model TEXT NOT NULL,
    created REAL NOT NULL,
    body TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


@dataclass(frozen=True)
class ModelStats:
    model: str
    responses: int
    bytes: int


@dataclass(frozen=True)
class CacheStats:
    path: str
    responses: int
    file_bytes: int
    models: tuple[ModelStats, ...]


@dataclass(frozen=True)
class SessionCounts:
    """What this process's run did with the cache: for the summary line."""

    hits: int
    misses: int
    writes: int
    write_errors: int


class ResponseCache:
    """A `ResponseStore` (see engine/runner.py) on sqlite; safe across threads and processes."""

    def __init__(self, directory: str | Path = DEFAULT_DIR, scope: str = "") -> None:
        self.directory = Path(directory)
        self.path = self.directory / FILENAME
        self.scope = scope
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._hits = self._misses = self._writes = self._write_errors = 0

    def _connect(self) -> sqlite3.Connection:
        if self._conn is not None:
            return self._conn
        try:
            conn = open_sqlite(self.path, _SCHEMA)
            conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
            row = conn.execute("SELECT value FROM meta WHERE name='schema'").fetchone()
        except sqlite3.DatabaseError as exc:
            raise ConfigError(f"response cache {self.path} cannot be used ({exc}); remove the "
                              "directory or pass another --ksafe-cache") from None
        except OSError as exc:
            raise ConfigError(f"response cache directory {self.directory} cannot be created "
                              f"({exc.strerror})") from None
        if row is None or row[0] != SCHEMA_VERSION:
            conn.close()
            raise ConfigError(f"response cache {self.path} has schema {row and row[0]!r}, this "
                              f"version needs {SCHEMA_VERSION!r}: remove it or run "
                              "`ksafe cache clear`")
        self._conn = conn
        return conn

    def _key(self, key: str) -> str:
        return sha256_hex(f"{self.scope}\0{key}") if self.scope else key

    def get(self, key: str) -> Response | None:
        with self._lock:
            conn = self._connect()
            row = conn.execute("SELECT body FROM responses WHERE key=?",
                               (self._key(key),)).fetchone()
            if row is None:
                self._misses += 1
                return None
            self._hits += 1
        return _decode(row[0])

    def has(self, key: str) -> bool:
        """Whether an answer is stored, without counting a hit or a miss."""
        with self._lock:
            conn = self._connect()
            return conn.execute("SELECT 1 FROM responses WHERE key=?",
                                (self._key(key),)).fetchone() is not None

    def put(self, key: str, response: Response) -> None:
        """Store one answer at once (its own transaction); errors and empty answers are
        refused. A failed write (disk full, lock held too long) costs only the cache."""
        if not response.ok or not response.text.strip():
            return
        body = json.dumps(_encode(response), ensure_ascii=False)
        with self._lock:
            conn = self._connect()
            try:
                conn.execute("INSERT OR REPLACE INTO responses VALUES (?, ?, ?, ?)",
                             (self._key(key), response.model, time.time(), body))
            except sqlite3.OperationalError:
                self._write_errors += 1
                return
            self._writes += 1

    def counts(self) -> SessionCounts:
        return SessionCounts(self._hits, self._misses, self._writes, self._write_errors)

    def stats(self) -> CacheStats:
        with self._lock:
            conn = self._connect()
            rows = conn.execute("SELECT model, COUNT(*), SUM(LENGTH(body)) FROM responses "
                                "GROUP BY model ORDER BY model").fetchall()
        models = tuple(ModelStats(m, n, b or 0) for m, n, b in rows)
        size = sum(p.stat().st_size for p in self.directory.glob(FILENAME + "*"))
        return CacheStats(str(self.path), sum(m.responses for m in models), size, models)

    def clear(self, model: str | None = None) -> int:
        """Delete every stored answer, or one model's; returns how many."""
        with self._lock:
            conn = self._connect()
            if model is None:
                cur = conn.execute("DELETE FROM responses")
            else:
                cur = conn.execute("DELETE FROM responses WHERE model=?", (model,))
            deleted = cur.rowcount
        if model is None:
            self.vacuum()
        return deleted

    def vacuum(self) -> None:
        with self._lock:
            conn = self._connect()
            try:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                conn.execute("VACUUM")
            except sqlite3.OperationalError:
                pass  # another process is using it: the space comes back later

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


def _encode(response: Response) -> dict[str, Any]:
    return {"sample_id": response.sample_id, "model": response.model, "text": response.text,
            "finish_reason": response.finish_reason,
            "prompt_tokens": response.usage.prompt_tokens,
            "completion_tokens": response.usage.completion_tokens,
            "cost_usd": response.usage.cost_usd, "latency_s": response.latency_s,
            "attempts": response.attempts, "repaired": response.repaired}


def _decode(body: str) -> Response:
    d = json.loads(body)
    return Response(
        sample_id=d["sample_id"], model=d["model"], text=d["text"],
        finish_reason=d.get("finish_reason", ""),
        usage=Usage(d.get("prompt_tokens", 0), d.get("completion_tokens", 0), d.get("cost_usd")),
        latency_s=d.get("latency_s", 0.0), attempts=d.get("attempts", 1), cached=True,
        repaired=d.get("repaired", 0))
