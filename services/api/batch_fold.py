"""Fold a run of routed and work events in bulk: a few statements per batch, not per event.

Per event, the projector used to ask "seen?", load the item, flush, and write history, ~9
statements each. Here one run (consecutive new-item routings and work events of a batch) is
folded with one query for the ids already seen, one for the items it touches, one for the
campaigns, one for the work events and platform changes waiting for items it creates, and
bulk inserts of items, history and audit rows; each item row is written once for its work
events. The fold itself is the same pure code (`fold`, `step`, `replay`), and the rare cases
(an event older than the item's last one, work that waited for its item) go through the same
`refold` as before, so a rebuilt database still equals the live one.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Table, insert
from sqlmodel import Session, SQLModel, col, select

from schemas.events import Campaign, InboxItem, RoutedItem
from schemas.topics import INBOX_WORK
from schemas.work import WorkEvent
from services.api.campaign_tags import campaign_of
from services.api.db import next_change
from services.api.domain.projection import Routing, fold
from services.api.domain.work import is_late, step
from services.api.models import AuditEvent, CampaignRow, Item, ItemEvent, PlatformChange
from services.api.platform_changes import applies_to, apply_waiting
from services.api.routed_apply import (
    new_item_values,
    routed_history_values,
    routing_of,
    write_routing,
)
from services.api.work_apply import audit_values, facts_of, refold, work_history_values, write_facts
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
        query = select(ItemEvent.source_event_id).where(col(ItemEvent.source_event_id).in_(part))
        found.update(i for i in session.exec(query) if i is not None)
    for part in _chunks(work):
        found.update(
            session.exec(select(AuditEvent.event_id).where(col(AuditEvent.event_id).in_(part)))
        )
    return found


def _items(session: Session, keys: Iterable[uuid.UUID]) -> dict[uuid.UUID, Item]:
    rows: dict[uuid.UUID, Item] = {}
    for part in _chunks(sorted(set(keys))):
        rows.update(
            (r.event_id, r) for r in session.exec(select(Item).where(col(Item.event_id).in_(part)))
        )
    return rows


def _tags(current: list[str], campaigns: list[Campaign], item: InboxItem | None) -> list[str]:
    # As campaign_tags.tag_item, with the campaigns loaded once per batch.
    if not campaigns or item is None:
        return current
    tags = sorted({*current, *match_campaigns(item, campaigns)})
    return tags if tags != sorted(current) else current


def _payload_item(row: Item) -> InboxItem | None:
    try:
        return InboxItem.model_validate(row.payload)
    except ValueError:
        return None


def _waiting_work(session: Session, keys: list[uuid.UUID]) -> set[uuid.UUID]:
    """Which of these items have work events in the audit log already (read before them)."""
    found: set[uuid.UUID] = set()
    for part in _chunks(keys):
        query = select(AuditEvent.item_event_id).where(
            col(AuditEvent.item_event_id).in_(part), AuditEvent.topic == INBOX_WORK.name
        )
        found.update(i for i in session.exec(query) if i is not None)
    return found


def _waiting_changes(session: Session, rows: list[Item]) -> list[Item]:
    """Which of these new items have platform changes waiting for them."""
    posts = sorted({r.platform_item_id for r in rows})
    changes: list[PlatformChange] = []
    for part in _chunks(posts):
        query = select(PlatformChange).where(col(PlatformChange.platform_item_id).in_(part))
        changes.extend(session.exec(query))
    if not changes:
        return []
    return [r for r in rows if any(applies_to(c, r) for c in changes)]


def _unique(events: Iterable[Any]) -> list[Any]:
    out, ids = [], set()
    for e in events:
        if e.event_id not in ids:
            ids.add(e.event_id)
            out.append(e)
    return out


def _fold_routed(
    session: Session,
    routed: list[RoutedItem],
    items: dict[uuid.UUID, Item],
    *,
    seq: int,
    now: datetime,
) -> dict[uuid.UUID, Item]:
    """Fold routings into their items (new ones by one bulk insert); returns those created.

    Rows are written with Core inserts from plain values: building thousands of SQLModel
    objects costs more than the statements (pydantic resolves every default per object).
    """
    if not routed:
        return {}
    campaigns = [campaign_of(c) for c in session.exec(select(CampaignRow)) if c.active]
    firsts: dict[uuid.UUID, RoutedItem] = {}
    routings: dict[uuid.UUID, Routing] = {}
    for event in routed:
        key = event.item.event_id
        row = items.get(key)
        if row is not None:
            write_routing(row, fold(routing_of(row), event), seq=seq, now=now)
            if campaigns:
                row.campaigns = _tags(row.campaigns, campaigns, _payload_item(row))
            session.add(row)
            continue
        firsts.setdefault(key, event)
        routings[key] = fold(routings.get(key), event)
    if firsts:
        values = []
        for key, first in firsts.items():
            routing = routings[key]
            tags = _tags(list(routing.campaigns), campaigns, first.item)
            values.append(new_item_values(first, routing, campaigns=tags, seq=seq, now=now))
        session.execute(insert(_table(Item)), values)
    created = _items(session, firsts)
    items.update(created)
    history = []
    for event in routed:
        row_id = items[event.item.event_id].id
        assert row_id is not None
        history.append(routed_history_values(row_id, event, now=now))
    session.execute(insert(_table(ItemEvent)), history)
    return created


def _fold_work(
    session: Session,
    work: list[WorkEvent],
    items: dict[uuid.UUID, Item],
    to_refold: dict[uuid.UUID, Item],
    *,
    seq: int,
    now: datetime,
) -> None:
    """Step each item's work events in memory and write the item once.

    A late event (older than the item's last) leaves the item in `to_refold` instead.
    """
    if not work:
        return
    session.execute(insert(_table(AuditEvent)), [audit_values(e, now=now) for e in work])
    by_item: dict[uuid.UUID, list[WorkEvent]] = {}
    for e in work:
        by_item.setdefault(e.item_event_id, []).append(e)
    history: list[dict[str, Any]] = []
    for key, item_events in by_item.items():
        item = items.get(key)
        if item is None or key in to_refold:
            continue  # no item yet: kept in the audit log only, folded when it arrives
        assert item.id is not None
        replies = any(e.action.startswith("reply_") for e in item_events)
        facts = facts_of(session, item, with_replies=replies)
        pending = []
        for event in item_events:
            if is_late(facts, event):
                to_refold[key] = item
                break
            facts = step(facts, event)
            pending.append(work_history_values(item.id, event, now=now))
        else:
            write_facts(session, item, facts, seq=seq, now=now, with_replies=replies)
            history.extend(pending)
    if history:
        session.execute(insert(_table(ItemEvent)), history)


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
    items = _items(session, [e.item.event_id for e in routed] + [e.item_event_id for e in work])
    created = _fold_routed(session, routed, items, seq=seq, now=now)
    # Work events read before their item (another topic, a rebuild) wait in the audit log,
    # platform changes in platform_change: those items are refolded as the per-event path did.
    to_refold = {k: created[k] for k in _waiting_work(session, list(created))}
    for row in _waiting_changes(session, list(created.values())):
        apply_waiting(session, item=row, seq=seq, now=now)
    _fold_work(session, work, items, to_refold, seq=seq, now=now)
    session.flush()
    for item in to_refold.values():
        refold(session, item=item, seq=seq, now=now)
    return len(routed) + len(work)
