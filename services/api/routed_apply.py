"""Apply routed events to the database: one transaction per batch, idempotent per event id."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from schemas.enums import ItemAction, RoutedStatus
from schemas.events import RoutedItem
from services.api.campaign_tags import tag_item
from services.api.db import next_change
from services.api.domain.projection import HISTORY_KIND, Routing, fold
from services.api.domain.workflow import work_status
from services.api.models import Item, ItemEvent
from services.api.platform_changes import apply_routed_change, apply_waiting
from services.api.work_apply import WorkRow, refold, status_of

ROUTER_ACTOR = "router"


def routing_of(row: WorkRow) -> Routing:
    """The routing state an item row (ORM, or a Core row of ROUTING_READ) holds now."""
    return Routing(
        routing_status=RoutedStatus(row.routing_status),
        queue=row.routed_queue,
        rule=row.rule,
        reason=row.reason,
        campaigns=tuple(row.campaigns),
        hold_until=row.hold_until,
        received_at=row.received_at,
        available_at=row.available_at,
    )


# What a bulk fold of routings onto items already here selects (no payload, no work state).
ROUTING_READ = tuple(getattr(Item, name) for name in (
    "id", "event_id", "status", "routing_status", "routed_queue", "rule", "reason",
    "campaigns", "hold_until", "received_at", "available_at", "claimed_by", "resolved_at",
))  # fmt: skip


def routing_values(row: WorkRow, routing: Routing, *, seq: int, now: datetime) -> dict[str, Any]:
    """The item columns a folded routing state sets, with the status it implies."""
    return {
        "routing_status": routing.routing_status.value,
        "routed_queue": routing.queue,
        "rule": routing.rule,
        "reason": routing.reason,
        "campaigns": list(routing.campaigns),
        "hold_until": routing.hold_until,
        "received_at": routing.received_at,
        "available_at": routing.available_at,
        "sort_at": routing.sort_at,
        "status": status_of(
            row,
            routing_status=routing.routing_status.value,
            claimed_by=row.claimed_by,
            resolved=row.resolved_at is not None,
        ),
        "change_seq": seq,
        "updated_at": now,
    }


def write_routing(row: Item, routing: Routing, *, seq: int, now: datetime) -> None:
    """Put a folded routing state (and the status it implies) on the item row."""
    for name, value in routing_values(row, routing, seq=seq, now=now).items():
        setattr(row, name, value)


def routed_history_values(item_id: int, event: RoutedItem, *, now: datetime) -> dict[str, Any]:
    """The columns of the history entry a routed event leaves (unique by routed event id)."""
    return {
        "item_id": item_id,
        "kind": HISTORY_KIND[event.status],
        "actor": ROUTER_ACTOR,
        "actor_kind": None,
        "at": event.occurred_at,
        "detail": {
            "queue": event.queue,
            "rule": event.rule,
            "reason": event.reason,
            "hold_until": event.hold_until.isoformat() if event.hold_until else None,
            "routed_event_id": str(event.event_id),
        },
        "source_event_id": event.event_id,
        "recorded_at": now,
    }


def routed_history(item_id: int, event: RoutedItem, *, now: datetime) -> ItemEvent:
    """The history entry a routed event leaves on its item (unique by routed event id)."""
    return ItemEvent(**routed_history_values(item_id, event, now=now))


def new_item_values(
    first: RoutedItem, routing: Routing, *, campaigns: list[str], seq: int, now: datetime
) -> dict[str, Any]:
    """The columns of an item seen for the first time, as `new_item_row` would write them.

    `first` is its first routed event, `routing` the fold of its events so far.
    """
    held = routing.routing_status is RoutedStatus.HELD
    return {
        "event_id": first.item.event_id,
        "channel_id": first.item.channel_id,
        "platform": first.item.platform.value,
        "platform_item_id": first.item.platform_item_id,
        "payload": first.item.model_dump(mode="json"),
        "queue": first.queue,
        "routed_queue": routing.queue,
        "status": work_status(held=held, claimed_by=None, resolved=False).value,
        "routing_status": routing.routing_status.value,
        "rule": routing.rule,
        "reason": routing.reason,
        "hold_until": routing.hold_until,
        "campaigns": campaigns,
        "received_at": routing.received_at,
        "available_at": routing.available_at,
        "sort_at": routing.sort_at,
        "claimed_by": None,
        "claimed_at": None,
        "escalated": False,
        "escalation_note": None,
        "resolved_at": None,
        "resolved_by": None,
        "assignee": None,
        "tags": [],
        "moderation": {},
        "sla": {},
        "work_key": None,
        "change_seq": seq,
        "updated_at": now,
    }


def new_item_row(event: RoutedItem, *, seq: int, now: datetime) -> Item:
    """The row for an item seen for the first time, with `event` already folded in."""
    row = Item(
        event_id=event.item.event_id,
        channel_id=event.item.channel_id,
        platform=event.item.platform.value,
        platform_item_id=event.item.platform_item_id,
        payload=event.item.model_dump(mode="json"),
        queue=event.queue,
        routed_queue=event.queue,
        status="open",
        routing_status=event.status.value,
        rule=event.rule,
        reason=event.reason,
        received_at=event.occurred_at,
        sort_at=event.occurred_at,
        change_seq=seq,
        updated_at=now,
    )
    write_routing(row, fold(None, event), seq=seq, now=now)
    return row


def apply_routed(session: Session, *, event: RoutedItem, now: datetime) -> bool:
    """Fold one routed event into its item; False (and no change) when already applied.

    The caller owns the transaction: nothing here commits.
    """
    seq = next_change(session)
    seen = session.exec(
        select(ItemEvent.id).where(ItemEvent.source_event_id == event.event_id)
    ).first()
    if seen is not None:
        return False
    if event.item.action is not ItemAction.CREATED:
        return apply_routed_change(session, event=event, seq=seq, now=now)
    row = session.exec(select(Item).where(Item.event_id == event.item.event_id)).first()
    created = row is None
    if row is None:
        row = new_item_row(event, seq=seq, now=now)
    else:
        write_routing(row, fold(routing_of(row), event), seq=seq, now=now)
    tag_item(session, row=row)  # campaigns registered after the router tagged it
    session.add(row)
    session.flush()
    assert row.id is not None
    session.add(routed_history(row.id, event, now=now))
    if created:
        # Work events read before their item (another topic, a rebuild) wait in the audit log;
        # platform changes read before it wait in platform_change.
        refold(session, item=row, seq=seq, now=now)
        apply_waiting(session, item=row, seq=seq, now=now)
    return True
