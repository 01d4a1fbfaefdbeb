"""Platform changes in the projector: any order of an item and its changes gives one state."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from schemas.enums import ItemAction
from schemas.events import InboxItem, RoutedItem
from services.api.models import Item, ItemEvent
from services.api.routed_apply import apply_routed
from tests.fixtures.api.events import T0, inbox_item, routed

KSS = "twitter:hee_kss"


def _change(item: InboxItem, action: ItemAction, minutes: int, text: str = "") -> RoutedItem:
    fields = item.model_dump(exclude={"event_id", "action", "occurred_at", "text"})
    fields["channel_known"] = action is not ItemAction.DELETED  # X deletions name no handle
    if action is ItemAction.DELETED:
        fields["channel_id"] = "unknown:twitter:900002"
    change = InboxItem.create(
        **fields, action=action, text=text, occurred_at=T0 + timedelta(minutes=minutes)
    )
    return routed(change, at=T0 + timedelta(minutes=minutes), queue="local:kent-surrey-sussex")


def _state(engine: Engine) -> list[tuple[str, str, str, list[str]]]:
    with Session(engine) as s:
        out = []
        for item in s.exec(select(Item).order_by(col(Item.event_id))):
            kinds = sorted(
                e.kind for e in s.exec(select(ItemEvent).where(ItemEvent.item_id == item.id))
            )
            out.append((str(item.event_id), item.status, str(item.payload["text"]), kinds))
        return out


def test_changes_update_their_item_in_any_order(engine: Engine) -> None:
    item = inbox_item(1, channel=KSS, text="first words")
    events = [
        routed(item),
        _change(item, ItemAction.EDITED, 5, "second words"),
        _change(item, ItemAction.EDITED, 3, "older edit"),
        _change(item, ItemAction.HIDDEN, 6),
    ]
    with Session(engine) as s, s.begin():
        for e in events:
            apply_routed(s, event=e, now=T0)
    (row,) = _state(engine)
    assert row[1:] == ("open", "second words", ["edited", "edited", "hidden", "routed"])

    deleted = _change(item, ItemAction.DELETED, 9)
    with Session(engine) as s, s.begin():
        assert apply_routed(s, event=deleted, now=T0)
        assert not apply_routed(s, event=deleted, now=T0)  # a redelivery changes nothing
    (row,) = _state(engine)
    assert row[1] == "withdrawn" and "deleted" in row[3]


def test_a_change_read_before_its_item_waits_for_it(engine: Engine) -> None:
    item = inbox_item(2, channel=KSS, text="hello")
    with Session(engine) as s, s.begin():
        apply_routed(s, event=_change(item, ItemAction.EDITED, 4, "hello again"), now=T0)
        apply_routed(s, event=_change(item, ItemAction.DELETED, 8), now=T0)
        assert list(s.exec(select(Item))) == []  # no queue item for a change alone
        apply_routed(s, event=routed(item), now=T0)
    (row,) = _state(engine)
    assert row[1:] == ("withdrawn", "hello again", ["deleted", "edited", "routed"])
