"""Bulk statements for the projector's batch fold: SQLite's executemany, PostgreSQL's COPY.

Through SQLAlchemy, an executemany on PostgreSQL is one statement per row (psycopg's
pipeline), and the multi-row INSERTs SQLAlchemy can build instead cost more to prepare than
they save (psycopg parses every placeholder of a new statement text, and a long IN (...)
list is a new text for every length). So on PostgreSQL rows are sent with COPY (an update
through a temporary table), and a set of keys as one array parameter. Values go through
each column's own bind processing first (UTC instants, JSON), so what lands is what an ORM
write would have written.

The rows are written in the caller's transaction. A row the database refuses as data is
raised as SQLAlchemy's own error, so the projector can find it and dead-letter it as before.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import psycopg
from sqlalchemy import (
    ColumnElement,
    Connection,
    Table,
    any_,
    bindparam,
    func,
    select,
    text,
)
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Session

Processor = Callable[[Any], Any] | None


def _columns(table: Table, rows: Sequence[dict[str, Any]]) -> list[str]:
    names = list(rows[0])
    if any(len(row) != len(names) for row in rows):
        raise ValueError(f"rows for {table.name} do not all name the same columns")
    unknown = [n for n in names if n not in table.c]
    if unknown:  # names reach SQL text below (quoted): only the table's own columns may
        raise ValueError(f"not columns of {table.name}: {unknown}")
    return names


def _converted(
    connection: Connection, table: Table, names: list[str], rows: Sequence[dict[str, Any]]
) -> list[tuple[Any, ...]]:
    """Each row's values of `names`, in order, through the columns' own bind processing."""
    dialect = connection.dialect
    processors: list[Processor] = [
        table.c[n].type.dialect_impl(dialect).bind_processor(dialect) for n in names
    ]
    pairs = list(zip(names, processors, strict=True))
    return [tuple(row[n] if p is None else p(row[n]) for n, p in pairs) for row in rows]


def _copy(
    connection: Connection,
    table: Table,
    names: list[str],
    rows: Sequence[dict[str, Any]],
    *,
    into: str = "",
) -> None:
    """COPY `rows` into `table` (or into the table named `into`, typed as `table`'s columns)."""
    quote = connection.dialect.identifier_preparer.quote
    target = into or quote(table.name)
    statement = f"COPY {target} ({', '.join(quote(n) for n in names)}) FROM STDIN"
    driver = connection.connection.driver_connection
    assert isinstance(driver, psycopg.Connection)
    try:
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            for values in _converted(connection, table, names, rows):
                copy.write_row(values)
    except psycopg.DataError as err:
        raise sa_exc.DataError(statement, None, err) from err
    except psycopg.IntegrityError as err:
        raise sa_exc.IntegrityError(statement, None, err) from err
    except (psycopg.OperationalError, psycopg.InterfaceError) as err:
        raise sa_exc.OperationalError(statement, None, err) from err


def _executemany(
    connection: Connection,
    table: Table,
    names: list[str],
    rows: Sequence[dict[str, Any]],
    *,
    update: bool = False,
) -> None:
    """INSERT (or UPDATE by id) through the driver's executemany, values converted as above.

    SQLAlchemy's own executemany spends more per row on building parameters than SQLite's
    C loop spends on the row itself.
    """
    if update:  # the id goes last, to the WHERE clause
        names = [n for n in names if n != "id"] + ["id"]
    quote = connection.dialect.identifier_preparer.quote
    if update:
        assignments = ", ".join(f"{quote(n)} = ?" for n in names[:-1])
        statement = f"UPDATE {quote(table.name)} SET {assignments} WHERE id = ?"  # noqa: S608  (checked, quoted names)
    else:
        marks = ", ".join("?" for _ in names)
        listed = ", ".join(quote(n) for n in names)
        statement = f"INSERT INTO {quote(table.name)} ({listed}) VALUES ({marks})"  # noqa: S608  (as above)
    connection.exec_driver_sql(statement, _converted(connection, table, names, rows))


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert `rows` (dicts naming the same columns) into `table`."""
    if not rows:
        return
    names = _columns(table, rows)
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        _copy(connection, table, names, rows)
    else:
        _executemany(connection, table, names, rows)


def insert_with_ids(
    session: Session, table: Table, rows: Sequence[dict[str, Any]], *, key: str
) -> dict[Any, int]:
    """Insert `rows` into `table`; the new rows' ids by their (unique) `key` column.

    On PostgreSQL the ids are drawn from the id column's sequence first and copied in with
    the rows. On SQLite the caller holds the write lock (BEGIN IMMEDIATE), under which an
    executemany gives each row the largest id so far plus one, in order; that is checked
    (the largest id must have grown by exactly the number of rows) and, should it not hold,
    the ids are read back by key instead.
    """
    if not rows:
        return {}
    names = _columns(table, rows)
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        draw = "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"
        drawn = connection.execute(text(draw), {"table": table.name, "n": len(rows)})
        ids = [int(i) for i in drawn.scalars()]
        with_ids = [{"id": i, **row} for i, row in zip(ids, rows, strict=True)]
        _copy(connection, table, ["id", *names], with_ids)
        return {row[key]: i for i, row in zip(ids, rows, strict=True)}
    largest = select(func.coalesce(func.max(table.c.id), 0))
    before = int(session.execute(largest).scalar_one())
    _executemany(connection, table, names, rows)
    if int(session.execute(largest).scalar_one()) == before + len(rows):
        return {row[key]: before + 1 + n for n, row in enumerate(rows)}
    found: dict[Any, int] = {}
    keys = [row[key] for row in rows]
    for start in range(0, len(keys), 500):
        part = keys[start : start + 500]
        query = select(table.c[key], table.c.id).where(table.c[key].in_(part))
        found.update((k, int(i)) for k, i in session.execute(query))
    return found


def update_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Update rows of `table` by id: each dict holds "id" and the same columns' new values."""
    if not rows:
        return
    names = _columns(table, rows)
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        _executemany(connection, table, names, rows, update=True)
        return
    quote = connection.dialect.identifier_preparer.quote
    listed = ", ".join(quote(n) for n in names)
    scratch = f"sb_update_{table.name}"
    # Only these columns, so none of the table's NOT NULL rules; dropped at commit.
    connection.execute(text(f"DROP TABLE IF EXISTS pg_temp.{scratch}"))
    create = (
        f"CREATE TEMPORARY TABLE {scratch} ON COMMIT DROP AS "  # noqa: S608  (checked, quoted names)
        f"SELECT {listed} FROM {quote(table.name)} WITH NO DATA"
    )
    connection.execute(text(create))
    _copy(connection, table, names, rows, into=scratch)
    assignments = ", ".join(f"{quote(n)} = u.{quote(n)}" for n in names if n != "id")
    apply = (
        f"UPDATE {quote(table.name)} SET {assignments} FROM {scratch} u "  # noqa: S608  (as above)
        f"WHERE {quote(table.name)}.id = u.id"
    )
    connection.execute(text(apply))


def among(session: Session, column: Any, keys: Sequence[Any]) -> ColumnElement[bool]:
    """`column IN keys`; on PostgreSQL `column = ANY(array)`, one parameter whatever the length."""
    if session.get_bind().dialect.name == "postgresql":
        array = bindparam("keys", value=list(keys), type_=ARRAY(column.type), unique=True)
        result: ColumnElement[bool] = column == any_(array)
        return result
    result = column.in_(keys)
    return result
