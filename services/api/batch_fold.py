"""Fold a run of routed and work events in bulk: a few statements per batch, not per event.

Per event, the projector used to ask "seen?", load the item, flush, and write history, ~9
statements each. Here one run (consecutive new-item routings and work events of a batch) is
folded with one query for the ids already seen, one for the items it touches, one for the
campaigns, one for the work events and platform changes waiting for items it creates, and
bulk inserts of items, history and audit rows (`bulk_sql`: COPY on PostgreSQL); each item
row is written once for its work events. The work fold reads only the work columns as Core
rows and writes them back with one bulk update, unless the item's events touch replies, which
live in rows of their own and keep the ORM path. The fold itself is the same pure code
(`fold`, `step`, `replay`), and the rare cases (an event older than the item's last one, work
that waited for its item, platform changes that waited) go through the same `refold` and
`apply_waiting` as before, so a rebuilt database still equals the live one.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Row, Table
from sqlmodel import Session, SQLModel, col, select

from schemas.events import Campaign, InboxItem, RoutedItem
from schemas.topics import INBOX_WORK
from schemas.work import WorkEvent
from services.api.bulk_sql import among, insert_rows, insert_with_ids, update_rows
from services.api.campaign_tags import campaign_of
from services.api.db import next_change
from services.api.domain.projection import Routing, fold
from services.api.domain.work import is_late, step
from services.api.models import AuditEvent, CampaignRow, Item, ItemEvent, PlatformChange
from services.api.platform_changes import applies_to, apply_waiting
from services.api.routed_apply import (
    ROUTING_READ,
    new_item_values,
    routed_history_values,
    routing_of,
    routing_values,
)
from services.api.work_apply import (
    WORK_READ,
    audit_values,
    facts_from,
    facts_of,
    refold,
    work_history_values,
    work_values,
    write_facts,
)
from services.router.domain.campaigns import match_campaigns

# Bound parameters per IN (...) list: well under SQLite's and PostgreSQL's limits.
_CHUNK = 500

T = TypeVar("T")


def _table(model: type[SQLModel]) -> Table:
    # The Core table, not the ORM entity: an ORM bulk insert spends more per row than SQL.
    table = model.__table__  # type: ignore[attr-defined]
    assert isinstance(table, Table)
    return table


def _chunks(values: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _seen(session: Session, routed: list[uuid.UUID], work: list[uuid.UUID]) -> set[uuid.UUID]:
    found: set[uuid.UUID] = set()
    for part in _chunks(routed):
        query = select(ItemEvent.source_event_id).where(
            among(session, col(ItemEvent.source_event_id), part)
        )
        found.update(i for i in session.exec(query) if i is not None)
    for part in _chunks(work):
        found.update(
            session.exec(
                select(AuditEvent.event_id).where(among(session, col(AuditEvent.event_id), part))
            )
        )
    return found


def _items(session: Session, keys: Iterable[uuid.UUID]) -> dict[uuid.UUID, Item]:
    """Whole ORM rows: for the paths that change routing, replies or platform state."""
    rows: dict[uuid.UUID, Item] = {}
    for part in _chunks(sorted(set(keys))):
        rows.update(
            (r.event_id, r)
            for r in session.exec(select(Item).where(among(session, col(Item.event_id), part)))
        )
    return rows


def _rows(
    session: Session, columns: Sequence[Any], keys: Iterable[uuid.UUID]
) -> dict[uuid.UUID, Row[Any]]:
    """Some columns of the items with these event ids, as Core rows by event id.

    No payload to decode (unless asked for), no ORM state to build.
    """
    rows: dict[uuid.UUID, Row[Any]] = {}
    for part in _chunks(sorted(set(keys))):
        query = select(*columns).where(among(session, col(Item.event_id), part))
        rows.update((r.event_id, r) for r in session.execute(query))
    return rows


def _insert(session: Session, model: type[SQLModel], values: list[dict[str, Any]]) -> None:
    insert_rows(session, _table(model), values)


def _tags(current: list[str], campaigns: list[Campaign], item: InboxItem | None) -> list[str]:
    # As campaign_tags.tag_item, with the campaigns loaded once per batch.
    if not campaigns or item is None:
        return current
    tags = sorted({*current, *match_campaigns(item, campaigns)})
    return tags if tags != sorted(current) else current


def _payload_item(row: Item | Row[Any]) -> InboxItem | None:
    try:
        return InboxItem.model_validate(row.payload)
    except ValueError:
        return None


def _waiting_work(session: Session, keys: list[uuid.UUID]) -> set[uuid.UUID]:
    """Which of these items have work events in the audit log already (read before them)."""
    found: set[uuid.UUID] = set()
    for part in _chunks(keys):
        query = select(AuditEvent.item_event_id).where(
            among(session, col(AuditEvent.item_event_id), part), AuditEvent.topic == INBOX_WORK.name
        )
        found.update(i for i in session.exec(query) if i is not None)
    return found


def _waiting_changes(session: Session, created: dict[uuid.UUID, dict[str, Any]]) -> list[Item]:
    """Which of these new items have platform changes waiting for them (as ORM rows)."""
    posts = sorted({v["platform_item_id"] for v in created.values()})
    changes: list[PlatformChange] = []
    for part in _chunks(posts):
        query = select(PlatformChange).where(
            among(session, col(PlatformChange.platform_item_id), part)
        )
        changes.extend(session.exec(query))
    if not changes:
        return []
    named = {(c.platform, c.platform_item_id) for c in changes}
    rows = _items(session, [k for k, v in created.items()
                            if (v["platform"], v["platform_item_id"]) in named])  # fmt: skip
    return [r for r in rows.values() if any(applies_to(c, r) for c in changes)]


def _unique(events: Iterable[Any]) -> list[Any]:
    out, ids = [], set()
    for e in events:
        if e.event_id not in ids:
            ids.add(e.event_id)
            out.append(e)
    return out


def _fold_routed(
    session: Session, routed: list[RoutedItem], *, seq: int, now: datetime
) -> dict[uuid.UUID, dict[str, Any]]:
    """Fold routings into their items; returns the columns of those created, as written.

    New items are one bulk insert, items already here (a release, a late hold) one bulk
    update of their routing columns. Rows are written from plain values, not SQLModel
    objects: building thousands of those costs more than the statements (pydantic resolves
    every default per object).
    """
    if not routed:
        return {}
    campaigns = [campaign_of(c) for c in session.exec(select(CampaignRow)) if c.active]
    session.flush()  # what the reads below must see
    # The payload only to retag items with the campaigns.
    columns = (*ROUTING_READ, col(Item.payload)) if campaigns else ROUTING_READ
    existing = _rows(session, columns, [e.item.event_id for e in routed])
    firsts: dict[uuid.UUID, RoutedItem] = {}
    routings: dict[uuid.UUID, Routing] = {}
    for event in routed:
        key = event.item.event_id
        row = existing.get(key)
        if row is None:
            firsts.setdefault(key, event)
        start = routings.get(key) or (routing_of(row) if row is not None else None)
        routings[key] = fold(start, event)
    updates = []
    for key, row in existing.items():
        values = {"id": row.id, **routing_values(row, routings[key], seq=seq, now=now)}
        if campaigns:
            item = _payload_item(row)
            values["campaigns"] = _tags(values["campaigns"], campaigns, item)
        updates.append(values)
    update_rows(session, _table(Item), updates)
    created: dict[uuid.UUID, dict[str, Any]] = {}
    for key, first in firsts.items():
        routing = routings[key]
        tags = _tags(list(routing.campaigns), campaigns, first.item)
        created[key] = new_item_values(first, routing, campaigns=tags, seq=seq, now=now)
    ids = {k: r.id for k, r in existing.items()}
    ids.update(insert_with_ids(session, _table(Item), list(created.values()), key="event_id"))
    _insert(session, ItemEvent,
            [routed_history_values(ids[e.item.event_id], e, now=now) for e in routed])  # fmt: skip
    if updates:
        session.expire_all()  # rows the session holds may be among those just updated
    return created


def _fold_work(
    session: Session,
    work: list[WorkEvent],
    *,
    skip: set[uuid.UUID],
    seq: int,
    now: datetime,
) -> set[uuid.UUID]:
    """Step each item's work events in memory and write the item once; returns the late.

    An item none of whose events touch replies is read as Core columns and written by one
    UPDATE executemany for the whole run; one with reply events goes through the ORM, as its
    reply rows change too. A late event (older than the item's last) leaves the item to be
    refolded instead. Items in `skip` are refolded by the caller anyway.
    """
    if not work:
        return set()
    _insert(session, AuditEvent, [audit_values(e, now=now) for e in work])
    by_item: dict[uuid.UUID, list[WorkEvent]] = {}
    for e in work:
        if e.item_event_id not in skip:
            by_item.setdefault(e.item_event_id, []).append(e)
    with_replies = {
        k for k, es in by_item.items() if any(e.action.startswith("reply_") for e in es)
    }
    session.flush()  # the routings folded before are what the reads below must see
    light = _rows(session, WORK_READ, [k for k in by_item if k not in with_replies])
    heavy = _items(session, with_replies)
    late: set[uuid.UUID] = set()
    history: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for key, item_events in by_item.items():
        row = light.get(key) or heavy.get(key)
        if row is None:
            continue  # no item yet: kept in the audit log only, folded when it arrives
        assert row.id is not None
        facts = facts_from(row) if key in light else facts_of(session, heavy[key])
        pending = []
        for event in item_events:
            if is_late(facts, event):
                late.add(key)
                break
            facts = step(facts, event)
            pending.append(work_history_values(row.id, event, now=now))
        else:
            if key in light:
                updates.append({"id": row.id, **work_values(row, facts, seq=seq, now=now)})
            else:
                write_facts(session, heavy[key], facts, seq=seq, now=now)
            history.extend(pending)
    if updates:
        update_rows(session, _table(Item), updates)
        session.expire_all()  # rows the session holds may be among those just updated
    _insert(session, ItemEvent, history)
    return late


def fold_run(session: Session, *, events: Sequence[RoutedItem | WorkEvent], now: datetime) -> int:
    """Fold new-item routings and work events in the caller's transaction; count the new.

    Platform changes and admin events do not come here (the consumer applies them singly).
    """
    if not events:
        return 0
    seq = next_change(session)
    batch = _unique(events)
    routed = [e for e in batch if isinstance(e, RoutedItem)]
    work = [e for e in batch if isinstance(e, WorkEvent)]
    seen = _seen(session, [e.event_id for e in routed], [e.event_id for e in work])
    routed = [e for e in routed if e.event_id not in seen]
    work = [e for e in work if e.event_id not in seen]
    if not routed and not work:
        return 0
    created = _fold_routed(session, routed, seq=seq, now=now)
    # Work events read before their item (another topic, a rebuild) wait in the audit log,
    # platform changes in platform_change: those items are refolded as the per-event path did.
    waiting = _waiting_work(session, list(created))
    for row in _waiting_changes(session, created):
        apply_waiting(session, item=row, seq=seq, now=now)
    late = _fold_work(session, work, skip=waiting, seq=seq, now=now)
    session.flush()
    for item in _items(session, waiting | late).values():
        refold(session, item=item, seq=seq, now=now)
    return len(routed) + len(work)
