"""Platform edits, deletions and hides of a post we hold: they change its item, not add one.

Every change is kept (table platform_change) and applied to its post's items: to the copy on
the change's channel when that channel is one of ours, else (an X deletion notice names only
the account id) to every copy. A change read before its item (it travels on another
partition when its channel differs, or a rebuild reads partitions side by side) is applied
when the item arrives, so the result does not depend on the order. An edit replaces the text
when it is the latest edit (the old text stays in the history); a deletion closes the item as
`withdrawn`; a hide/unhide is recorded (the latest wins). Each change applies once per item.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from schemas.enums import ItemAction
from schemas.envelope import make_event_id
from schemas.events import RoutedItem
from services.api.models import Item, ItemEvent, PlatformChange

PLATFORM_ACTOR = "platform"


def applies_to(change: PlatformChange, item: Item) -> bool:
    """Whether `change` is about `item` (same post; same channel when the change names ours)."""
    if (change.platform, change.platform_item_id) != (item.platform, item.platform_item_id):
        return False
    if item.payload.get("action") != ItemAction.CREATED.value:
        return False
    return not change.channel_known or change.channel_id == item.channel_id


def record(session: Session, event: RoutedItem, *, now: datetime) -> PlatformChange:
    """Keep a change (once per change: its held and released routings are one change)."""
    inbox = event.item
    found = session.exec(
        select(PlatformChange).where(PlatformChange.change_event_id == inbox.event_id)
    ).first()
    if found is not None:
        return found
    change = PlatformChange(
        change_event_id=inbox.event_id,
        platform=inbox.platform.value,
        platform_item_id=inbox.platform_item_id,
        channel_id=inbox.channel_id,
        channel_known=inbox.channel_known,
        routed=event.model_dump(mode="json"),
        received_at=now,
    )
    session.add(change)
    session.flush()
    return change


def items_of(session: Session, change: PlatformChange) -> list[Item]:
    """The items a change applies to, in row order."""
    query = (
        select(Item)
        .where(Item.platform == change.platform, Item.platform_item_id == change.platform_item_id)
        .order_by(col(Item.id))
    )
    return [i for i in session.exec(query) if applies_to(change, i)]


def changes_of(session: Session, item: Item) -> list[PlatformChange]:
    """The kept changes that apply to a newly arrived item, in the order they were kept."""
    query = (
        select(PlatformChange)
        .where(
            PlatformChange.platform == item.platform,
            PlatformChange.platform_item_id == item.platform_item_id,
        )
        .order_by(col(PlatformChange.id))
    )
    return [c for c in session.exec(query) if applies_to(c, item)]


def _entry_id(item: Item, change: PlatformChange) -> uuid.UUID:
    return make_event_id("platform-change", str(change.change_event_id), str(item.event_id))


def _edit(item: Item, inbox: Any) -> dict[str, Any]:
    payload = dict(item.payload)
    previous = str(payload.get("text", ""))
    last = payload.get("edited_at")
    edited_at = inbox.occurred_at.isoformat()
    newer = last is None or datetime.fromisoformat(str(last)) < inbox.occurred_at
    if newer:
        payload.update(text=inbox.text, edited_at=edited_at)
        payload["hashtags"], payload["mentions"] = list(inbox.hashtags), list(inbox.mentions)
        item.payload = payload
    return {"previous_text": previous, "text": inbox.text, "edited_at": edited_at,
            "applied": newer}  # fmt: skip


def _hide(item: Item, hidden: bool, at: datetime) -> dict[str, Any]:
    moderation = dict(item.moderation)
    current = moderation.get("platform") or {}
    if not current or str(current.get("at", "")) <= at.isoformat():
        moderation["platform"] = {"hidden": hidden, "at": at.isoformat()}
        item.moderation = moderation
    return {"hidden": hidden}


def apply_change(
    session: Session, *, item: Item, change: PlatformChange, seq: int, now: datetime
) -> bool:
    """Apply a kept change to `item`; False when it was already applied to it."""
    entry_id = _entry_id(item, change)
    done = select(ItemEvent.id).where(ItemEvent.source_event_id == entry_id)
    if session.exec(done).first() is not None:
        return False
    event = RoutedItem.model_validate(change.routed)
    inbox, action = event.item, event.item.action
    if action is ItemAction.EDITED:
        detail = _edit(item, inbox)
    elif action is ItemAction.DELETED:
        detail = {}
        item.status = "withdrawn"
    else:
        detail = _hide(item, action is ItemAction.HIDDEN, inbox.occurred_at)
    item.change_seq, item.updated_at = seq, now
    session.add(item)
    assert item.id is not None
    session.add(
        ItemEvent(
            item_id=item.id,
            kind=action.value,
            actor=PLATFORM_ACTOR,
            actor_kind="service",
            at=inbox.occurred_at,
            detail={**detail, "change_event_id": str(inbox.event_id)},
            source_event_id=entry_id,
            recorded_at=now,
        )
    )
    session.flush()
    return True


def apply_routed_change(session: Session, *, event: RoutedItem, seq: int, now: datetime) -> bool:
    """Keep a routed change and apply it to every item it is about (none yet: it waits)."""
    change = record(session, event, now=now)
    results = [
        apply_change(session, item=i, change=change, seq=seq, now=now)
        for i in items_of(session, change)
    ]
    return any(results)


def apply_waiting(session: Session, *, item: Item, seq: int, now: datetime) -> None:
    """Apply the changes that arrived before `item`."""
    for change in changes_of(session, item):
        apply_change(session, item=item, change=change, seq=seq, now=now)
