"""Queries behind the read routes: keyword-only helpers, no HTTP here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, and_, false, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from services.api.auth import Principal
from services.api.domain.workflow import WorkStatus
from services.api.models import AuditEvent, Item, ItemEvent, ProjectorOffset, ReplyRow


def _payload_text(key: str) -> ColumnElement[str]:
    # The database extracts the few fields a list shows (json_extract / ->>), so a page never
    # loads or decodes the whole stored InboxItem.
    value: ColumnElement[str] = col(Item.payload)[key].as_string().label(key)
    return value


# Exactly what ItemOut shows, plus the keys of both paginations (sort_at, id, change_seq).
LIST_COLUMNS = (
    col(Item.id),
    col(Item.event_id),
    col(Item.queue),
    col(Item.channel_id),
    col(Item.platform),
    col(Item.status),
    col(Item.routing_status),
    _payload_text("text"),
    _payload_text("author_handle"),
    _payload_text("permalink"),
    _payload_text("created_at"),
    col(Item.available_at),
    col(Item.hold_until),
    col(Item.claimed_by),
    col(Item.escalated),
    col(Item.sort_at),
    col(Item.change_seq),
)


def scope_filter(principal: Principal) -> ColumnElement[bool]:
    """SQL condition: the item is visible to `principal`."""
    if principal.is_admin:
        return and_(True)
    parts: list[ColumnElement[bool]] = []
    if principal.item_queues:
        parts.append(col(Item.queue).in_(sorted(principal.item_queues)))
    if principal.channels:
        parts.append(col(Item.channel_id).in_(sorted(principal.channels)))
    return or_(*parts) if parts else false()


def queue_counts(
    session: Session, *, principal: Principal, queues: Sequence[str]
) -> dict[str, dict[str, int]]:
    """Counts per queue and status (resolved excluded), visible items only."""
    rows = session.exec(
        select(Item.queue, Item.status, func.count())
        .where(col(Item.queue).in_(list(queues)), scope_filter(principal))
        .where(Item.status != WorkStatus.RESOLVED.value)
        .group_by(Item.queue, Item.status)
    ).all()
    out: dict[str, dict[str, int]] = {q: {} for q in queues}
    for queue, status, count in rows:
        out[queue][status] = count
    return out


def oldest_open(session: Session, *, principal: Principal, queue: str) -> datetime | None:
    """When the oldest open item of a queue became available."""
    return session.exec(
        select(func.min(Item.sort_at)).where(
            Item.queue == queue, Item.status == WorkStatus.OPEN.value, scope_filter(principal)
        )
    ).first()


def work_list(
    session: Session,
    *,
    principal: Principal,
    queue: str,
    status: WorkStatus,
    after: tuple[datetime, int] | None,
    limit: int,
) -> list[Row[Any]]:
    """Oldest first by available time; keyset pagination on (sort_at, id). LIST_COLUMNS only."""
    query = sa_select(*LIST_COLUMNS).where(
        col(Item.queue) == queue, col(Item.status) == status.value, scope_filter(principal)
    )
    if after is not None:
        at, item_id = after
        # `sort_at >= at` first: PostgreSQL uses only that conjunct as the index bound (a bare
        # OR made it filter every earlier row, so deep pages got slower with depth).
        query = query.where(
            col(Item.sort_at) >= at, or_(col(Item.sort_at) > at, col(Item.id) > item_id)
        )
    query = query.order_by(col(Item.sort_at), col(Item.id)).limit(limit)
    return list(session.execute(query).all())


def item_by_event_id(session: Session, *, event_id: object) -> Item | None:
    """An item by its inbox event id."""
    return session.exec(select(Item).where(Item.event_id == event_id)).first()


def history(session: Session, *, item_id: int) -> list[ItemEvent]:
    """Everything that happened to an item, in the order it happened."""
    return list(
        session.exec(
            select(ItemEvent)
            .where(ItemEvent.item_id == item_id)
            .order_by(col(ItemEvent.at), col(ItemEvent.id))
        )
    )


def replies(session: Session, *, item_id: int) -> list[ReplyRow]:
    """An item's replies, oldest first."""
    return list(
        session.exec(
            select(ReplyRow)
            .where(ReplyRow.item_id == item_id)
            .order_by(col(ReplyRow.submitted_at), col(ReplyRow.reply_id))
        )
    )


def audit_page(
    session: Session,
    *,
    actor: str | None = None,
    item_event_id: object = None,
    since: datetime | None = None,
    until: datetime | None = None,
    after: tuple[datetime, int] | None = None,
    limit: int = 100,
) -> list[AuditEvent]:
    """The audit log, oldest first, filtered; keyset pagination on (at, id)."""
    query = select(AuditEvent)
    if actor is not None:
        query = query.where(AuditEvent.actor == actor)
    if item_event_id is not None:
        query = query.where(AuditEvent.item_event_id == item_event_id)
    if since is not None:
        query = query.where(col(AuditEvent.at) >= since)
    if until is not None:
        query = query.where(col(AuditEvent.at) < until)
    if after is not None:
        at, row_id = after
        query = query.where(
            col(AuditEvent.at) >= at, or_(col(AuditEvent.at) > at, col(AuditEvent.id) > row_id)
        )
    query = query.order_by(col(AuditEvent.at), col(AuditEvent.id)).limit(limit)
    return list(session.exec(query))


def channel_head(session: Session, *, channel_id: str) -> int:
    """The latest change number of a channel (0 when it has no items)."""
    value = session.exec(
        select(func.max(Item.change_seq)).where(Item.channel_id == channel_id)
    ).first()
    return int(value or 0)


def channel_changes(session: Session, *, channel_id: str, since: int, limit: int) -> list[Row[Any]]:
    """Items of a channel changed after change number `since`, oldest change first."""
    query = (
        sa_select(*LIST_COLUMNS)
        .where(col(Item.channel_id) == channel_id, col(Item.change_seq) > since)
        .order_by(col(Item.change_seq))
        .limit(limit)
    )
    return list(session.execute(query).all())


def items_by_queue_status(session: Session) -> dict[tuple[str, str], int]:
    """Counts for /metrics."""
    rows = session.exec(
        select(Item.queue, Item.status, func.count()).group_by(Item.queue, Item.status)
    )
    return {(q, s): n for q, s, n in rows}


def projector_lag(session: Session) -> dict[tuple[str, int], int] | None:
    """Lag per partition as last recorded by the projector; None when never recorded."""
    rows = list(session.exec(select(ProjectorOffset)))
    if not rows:
        return None
    return {(r.topic, r.partition): max(0, r.end_offset - r.position) for r in rows}


def projector_seen_at(session: Session) -> datetime | None:
    """When the projector last recorded its positions (any partition)."""
    value: datetime | None = session.exec(select(func.max(ProjectorOffset.updated_at))).first()
    return value
