"""Judge cache: a verdict is replayed only for the same judge, sample and answer.

The key holds the judge's id (tier versions, rubric version, judge models, combine rule),
the question, the image spec's hash and the answer's hash: a new rubric or another judge
model never replays a stale verdict. ERROR verdicts are never stored: a judge outage must
not be replayed as a judgment. One sqlite file in WAL mode, shared by xdist workers.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from ksafe_pytest.errors import ConfigError
from ksafe_pytest.fileio import open_sqlite
from ksafe_pytest.judges.base import Judge
from ksafe_pytest.models.base import ModelClient
from ksafe_pytest.records import (
    Label,
    Response,
    Sample,
    Verdict,
    canonical_json,
    sha256_hex,
)

FILENAME = "verdicts.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS verdicts (
    key TEXT PRIMARY KEY,
    judge TEXT NOT NULL,
    created REAL NOT NULL,
    body TEXT NOT NULL
) WITHOUT ROWID;
"""


def verdict_key(judge_id: str, sample: Sample, answer: str) -> str:
    """What a verdict depends on: judge identity, what the judge saw, and the answer."""
    return sha256_hex(canonical_json({
        "judge": judge_id, "sample": sample.id, "question": sample.text,
        "image": sample.image.key, "answer": sha256_hex(answer),
    }))


class JudgeCache:
    """Verdicts by key in one sqlite file (`DIR/verdicts.sqlite`)."""

    def __init__(self, directory: str | Path) -> None:
        self.path = Path(directory) / FILENAME
        try:
            self._db = open_sqlite(self.path, _SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise ConfigError(f"judge cache {self.path}: {exc}") from None
        self._lock = threading.Lock()

    def get(self, key: str, since: float | None = None) -> Verdict | None:
        """The stored verdict; with `since`, only one stored at or after that time."""
        with self._lock:
            row = self._db.execute("SELECT body FROM verdicts WHERE key = ? AND created >= ?",
                                   (key, since or 0.0)).fetchone()
        if row is None:
            return None
        data = json.loads(row[0])
        return Verdict(label=Label(data["label"]), harmful=data["harmful"], judge=data["judge"],
                       evidence=tuple(data["evidence"]), rationale=data["rationale"])

    def put(self, key: str, verdict: Verdict) -> None:
        if verdict.label is Label.ERROR:
            return
        body = json.dumps(verdict.to_json(), ensure_ascii=False)
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO verdicts (key, judge, created, body) VALUES (?,?,?,?)",
                (key, verdict.judge, time.time(), body))

    def by_judge(self) -> list[tuple[str, int]]:
        """How many verdicts each judge identity has stored (for `ksafe cache stats`)."""
        with self._lock:
            rows = self._db.execute("SELECT judge, COUNT(*) FROM verdicts GROUP BY judge "
                                    "ORDER BY judge").fetchall()
        return [(str(j), int(n)) for j, n in rows]

    def clear(self) -> int:
        """Delete every stored verdict; returns how many."""
        with self._lock:
            deleted = self._db.execute("DELETE FROM verdicts").rowcount
            with contextlib.suppress(sqlite3.OperationalError):  # in use: space comes later
                self._db.execute("VACUUM")
        return int(deleted)

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM verdicts").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()


@dataclass
class CacheCounts:
    hits: int = 0
    misses: int = 0
    stored: int = 0
    errors: int = 0  # error verdicts, never stored
    by_judge: dict[str, int] = field(default_factory=dict)


class CachedJudge:
    """Wraps a judge with the verdict cache. `refresh=True` (`--ksafe-rejudge`) skips
    reads and overwrites: every cached answer is judged again by the current judge.
    `fresh_since` reads only verdicts stored from then on (an xdist worker of a re-judging
    run: the controller has just judged everything again; what it could not, is judged
    here)."""

    def __init__(self, inner: Judge, cache: JudgeCache, *, refresh: bool = False,
                 fresh_since: float | None = None) -> None:
        self.inner = inner
        self.cache = cache
        self.refresh = refresh
        self.fresh_since = fresh_since
        self.id = inner.id
        self.counts = CacheCounts()

    async def judge(self, sample: Sample, response: Response) -> Verdict:
        if response.error is not None or not response.text.strip():
            return await self.inner.judge(sample, response)  # an error verdict, not cached
        key = verdict_key(self.id, sample, response.text)
        if not self.refresh:
            cached = self.cache.get(key, since=self.fresh_since)
            if cached is not None:
                self.counts.hits += 1
                return cached
        self.counts.misses += 1
        verdict = await self.inner.judge(sample, response)
        if verdict.label is Label.ERROR:
            self.counts.errors += 1
        else:
            self.cache.put(key, verdict)
            self.counts.stored += 1
        return verdict

    def is_cached(self, sample: Sample, response: Response) -> bool:
        """Whether judging this answer would only read the cache."""
        return (not self.refresh and response.error is None and bool(response.text.strip())
                and self.cache.get(verdict_key(self.id, sample, response.text),
                                   since=self.fresh_since) is not None)

    def clients(self) -> list[ModelClient]:
        return self.inner.clients()

    async def aclose(self) -> None:
        try:
            await self.inner.aclose()
        finally:
            self.cache.close()
