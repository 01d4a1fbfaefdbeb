"""Durable per-channel cursors: where each poll target got to, in a small SQLite file.

A cursor is written only after everything before it is acknowledged by Kafka, so a restart
or an outage resumes from the last fully ingested point and backfills what came meanwhile.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from services.common.private import private_dir, private_file


class CursorStore:
    """Cursors keyed by '<platform>:<channel>:<target>'."""

    def __init__(self, path: Path) -> None:
        private_dir(path.parent)
        self.path = private_file(path)
        with self._connect() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS cursors "
                "(key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL)"
            )

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=10)

    def get(self, key: str) -> str | None:
        """The stored cursor, or None before the first successful poll."""
        with self._connect() as db:
            row = db.execute("SELECT value FROM cursors WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def set(self, key: str, value: str, *, now: datetime) -> None:
        """Store a cursor (committed before returning)."""
        with self._connect() as db:
            db.execute(
                "INSERT INTO cursors (key, value, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value, "
                "updated_at = excluded.updated_at",
                (key, value, now.isoformat()),
            )
