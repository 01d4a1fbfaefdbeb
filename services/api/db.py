"""Database engine and column types shared by the API and the projector."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Engine, create_engine, event, make_url
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import Session, text

from services.common.private import private_file


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC instant on every backend.

    PostgreSQL stores timestamptz natively; SQLite has no time zones, so the value is stored as
    naive UTC and made aware again on the way out. Naive input is refused: it is ambiguous.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Normalise to UTC before storing; SQLite gets it naive."""
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("naive datetime refused: pass a timezone-aware instant")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:  # noqa: ARG002 - SQLAlchemy TypeDecorator signature
        """Return an aware UTC datetime whatever the backend gave."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # WAL lets the API read while the projector writes; foreign keys are off by default.
    # pysqlite's own implicit BEGIN breaks SAVEPOINT; _sqlite_begin issues BEGIN instead.
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN")


# Sync routes run in anyio's worker threads (40 by default), each holding at most one pooled
# connection at a time; a pool at least that large means no thread ever waits for a
# connection that is merely idle in another request's hands.
_POOL = {"pool_size": 10, "max_overflow": 30}


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for `url`: SQLite gets WAL, foreign keys and a busy timeout.

    A SQLite file is created owner-only (0600) before SQLite opens it.
    """
    if url.startswith("sqlite"):
        database = make_url(url).database
        if database and database != ":memory:" and not database.startswith("file:"):
            private_file(Path(database))
        engine = create_engine(
            url,
            echo=echo,
            connect_args={"check_same_thread": False, "timeout": 30},
            **_POOL,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True, **_POOL)


def next_change(session: Session) -> int:
    """Take the next change sequence number, serialising writers until this transaction ends.

    Every write transaction calls this before anything else (on SQLite a deferred transaction
    that read first could not upgrade to a writer after a concurrent commit). The counter
    row's lock makes commits happen in sequence order, so a poller holding cursor N can
    never later see a change numbered below N appear (the classic gap of autoincrement ids
    committing out of order).
    """
    row = session.execute(
        text("UPDATE change_counter SET value = value + 1 WHERE id = 1 RETURNING value")
    ).one()
    return int(row[0])


def lock_writes(session: Session) -> None:
    """Take the writers' lock (the counter row) without using a sequence number."""
    session.execute(text("UPDATE change_counter SET value = value WHERE id = 1"))


def ping(engine: Engine) -> None:
    """Raise if the database does not answer."""
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
