"""Reads only the pages need (the JSON routes' reads are in services/api/store.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from services.api.auth import Principal
from services.api.domain.workflow import WorkStatus
from services.api.models import Item
from services.api.store import LIST_COLUMNS, scope_filter


def next_release(session: Session, *, principal: Principal, queue: str) -> datetime | None:
    """When the first held item of a queue is released."""
    return session.exec(
        select(func.min(Item.hold_until)).where(
            Item.queue == queue, Item.status == WorkStatus.HELD.value, scope_filter(principal)
        )
    ).first()


def escalated_count(session: Session, *, principal: Principal, queue: str) -> int:
    """Unresolved escalated items of a queue."""
    value = session.exec(
        select(func.count()).where(
            Item.queue == queue,
            col(Item.escalated).is_(True),
            Item.status != WorkStatus.RESOLVED.value,
            scope_filter(principal),
        )
    ).first()
    return int(value or 0)


def head(session: Session, *, principal: Principal, queue: str | None) -> int:
    """The latest change number among the items a live page shows (0 when none)."""
    query = select(func.max(Item.change_seq)).where(scope_filter(principal))
    if queue is not None:
        query = query.where(Item.queue == queue)
    return int(session.exec(query).first() or 0)


def channel_items(
    session: Session, *, channels: list[str], status: WorkStatus, limit: int
) -> list[Row[Any]]:
    """A local lead's list: their channels' items with `status`, oldest first."""
    query = (
        sa_select(*LIST_COLUMNS, col(Item.campaigns))
        .where(col(Item.channel_id).in_(channels), col(Item.status) == status.value)
        .order_by(col(Item.sort_at), col(Item.id))
        .limit(limit)
    )
    return list(session.execute(query).all())


def campaigns_of(session: Session, *, item_ids: list[int]) -> dict[int, list[str]]:
    """Campaign tags of the listed items (one query for a page)."""
    if not item_ids:
        return {}
    rows = session.execute(
        sa_select(col(Item.id), col(Item.campaigns)).where(col(Item.id).in_(item_ids))
    ).all()
    return {r[0]: list(r[1] or []) for r in rows}


def parent_item(session: Session, *, channel_id: str, parent_id: str) -> Item | None:
    """The item a reply answers, when it came through the same channel and is stored here."""
    platform_id: ColumnElement[str] = col(Item.payload)["platform_item_id"].as_string()
    return session.exec(
        select(Item).where(Item.channel_id == channel_id, platform_id == parent_id).limit(1)
    ).first()
