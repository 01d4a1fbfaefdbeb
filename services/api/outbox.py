"""The transactional outbox: events written in the same transaction as the change they record.

The relay (services/api/relay.py) sends them to Kafka after commit, in id order. Ids are
assigned under the writers' lock (db.next_change), so they commit in order too.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, func, select

from schemas.envelope import Event
from schemas.topics import TopicSpec
from services.api.models import OutboxRow


def enqueue(session: Session, spec: TopicSpec, *, key: str, event: Event, now: datetime) -> None:
    """Add `event` for `spec`'s topic to the caller's transaction (nothing is sent here)."""
    session.add(
        OutboxRow(
            topic=spec.name,
            key=key,
            event_id=event.event_id,
            payload=event.model_dump_json(),
            created_at=now,
        )
    )


def unsent(session: Session, *, limit: int) -> list[OutboxRow]:
    """The oldest rows not yet acknowledged by Kafka, in the order they were written."""
    query = (
        select(OutboxRow)
        .where(col(OutboxRow.sent_at).is_(None))
        .order_by(col(OutboxRow.id))
        .limit(limit)
    )
    return list(session.exec(query))


def backlog(session: Session) -> int:
    """How many rows wait for the relay."""
    query = select(func.count()).select_from(OutboxRow).where(col(OutboxRow.sent_at).is_(None))
    return int(session.exec(query).one())
