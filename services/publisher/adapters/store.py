"""The publisher's own record of every reply and moderation request: SQLite, local disk.

An attempt is written (and committed) BEFORE its request goes out, so after a crash the
publisher knows a request may have reached the platform; an outcome is written before its
event is published, so a redelivered Reply re-announces the outcome instead of posting again.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS replies (
    reply_id TEXT PRIMARY KEY,
    reply_json TEXT NOT NULL,
    queue TEXT NOT NULL,
    round INTEGER NOT NULL,
    requests INTEGER NOT NULL,
    state TEXT NOT NULL,
    ambiguous INTEGER NOT NULL,
    outcome_json TEXT,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS moderations (
    moderation_id TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    outcome_json TEXT,
    updated_at TEXT NOT NULL
);
"""

PENDING, IN_FLIGHT, PUBLISHED, FAILED = "pending", "in_flight", "published", "failed"


@dataclass(frozen=True)
class ReplyRecord:
    """What the publisher knows about one reply."""

    reply_id: str
    reply_json: str
    queue: str
    round: int  # 1, then the attempt number of each person's retry
    requests: int  # requests sent to the platform, all rounds
    state: str
    ambiguous: bool  # some request of this round may have landed without an answer
    outcome_json: str | None


class AttemptStore:
    """SQLite in WAL mode.

    synchronous=FULL (the default): a committed attempt survives a power cut. NORMAL: it
    survives a crash of the process, not of the machine, at a fraction of the cost (no fsync
    per commit).
    """

    def __init__(self, path: Path, *, synchronous: str = "FULL") -> None:
        if synchronous not in ("FULL", "NORMAL"):
            raise ValueError("synchronous must be FULL or NORMAL")
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(f"PRAGMA synchronous={synchronous}")
        self._db.executescript(_SCHEMA)
        self._lock = threading.Lock()

    def _exec(self, sql: str, args: tuple[object, ...]) -> None:
        with self._lock:
            self._db.execute(sql, args)

    def reply(self, reply_id: str) -> ReplyRecord | None:
        """The record of a reply, if it was ever received."""
        with self._lock:
            row = self._db.execute(
                "SELECT reply_id, reply_json, queue, round, requests, state, ambiguous, "
                "outcome_json FROM replies WHERE reply_id = ?",
                (reply_id,),
            ).fetchone()
        if row is None:
            return None
        return ReplyRecord(row[0], row[1], row[2], row[3], row[4], row[5], bool(row[6]), row[7])

    def register(self, *, reply_id: str, reply_json: str, queue: str, now: datetime) -> None:
        """Remember a reply on first sight (a redelivery changes nothing)."""
        self._exec(
            "INSERT OR IGNORE INTO replies VALUES (?, ?, ?, 1, 0, ?, 0, NULL, ?)",
            (reply_id, reply_json, queue, PENDING, now.isoformat()),
        )

    def begin_request(self, reply_id: str, *, now: datetime) -> int:
        """Count a request as made, durably, before it is sent; returns the new count."""
        with self._lock:
            self._db.execute(
                "UPDATE replies SET requests = requests + 1, state = ?, updated_at = ? "
                "WHERE reply_id = ?",
                (IN_FLIGHT, now.isoformat(), reply_id),
            )
            (count,) = self._db.execute(
                "SELECT requests FROM replies WHERE reply_id = ?", (reply_id,)
            ).fetchone()
        return int(count)

    def settle(self, reply_id: str) -> None:
        """The last request was answered (or never sent): nothing is in flight any more."""
        self._exec(
            "UPDATE replies SET state = ? WHERE reply_id = ? AND state = ?",
            (PENDING, reply_id, IN_FLIGHT),
        )

    def mark_ambiguous(self, reply_id: str) -> None:
        """A request of this round may have reached the platform unanswered."""
        self._exec("UPDATE replies SET ambiguous = 1 WHERE reply_id = ?", (reply_id,))

    def finish(self, reply_id: str, *, state: str, outcome_json: str, now: datetime) -> None:
        """Record the round's outcome (published or failed) and the event announcing it."""
        self._exec(
            "UPDATE replies SET state = ?, outcome_json = ?, updated_at = ? WHERE reply_id = ?",
            (state, outcome_json, now.isoformat(), reply_id),
        )

    def start_round(self, reply_id: str, *, round_: int, now: datetime) -> None:
        """A person's retry: a new round that may post again (their decision, after a failure)."""
        self._exec(
            "UPDATE replies SET round = ?, state = ?, ambiguous = 0, outcome_json = NULL, "
            "updated_at = ? WHERE reply_id = ?",
            (round_, PENDING, now.isoformat(), reply_id),
        )

    def moderation(self, moderation_id: str) -> str | None:
        """The outcome event recorded for a moderation request, if it was carried out."""
        with self._lock:
            row = self._db.execute(
                "SELECT outcome_json FROM moderations WHERE moderation_id = ? AND state != ?",
                (moderation_id, IN_FLIGHT),
            ).fetchone()
        return None if row is None else str(row[0])

    def begin_moderation(self, moderation_id: str, *, now: datetime) -> None:
        """Note that a moderation request is being sent."""
        self._exec(
            "INSERT OR IGNORE INTO moderations VALUES (?, ?, NULL, ?)",
            (moderation_id, IN_FLIGHT, now.isoformat()),
        )

    def finish_moderation(
        self, moderation_id: str, *, state: str, outcome_json: str, now: datetime
    ) -> None:
        """Record a moderation request's outcome event."""
        self._exec(
            "UPDATE moderations SET state = ?, outcome_json = ?, updated_at = ? "
            "WHERE moderation_id = ?",
            (state, outcome_json, now.isoformat(), moderation_id),
        )

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()
