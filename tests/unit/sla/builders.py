"""Event builders for SLA and report tests: items, routed events and work events."""

from __future__ import annotations

import uuid
from datetime import datetime

from schemas.enums import ItemAction, RoutedStatus
from schemas.envelope import make_event_id
from schemas.events import InboxItem, RoutedItem
from schemas.work import ActorKind, WorkDetail, WorkEvent


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def inbox(
    channel: str = "facebook:nhshee",
    *,
    created: str,
    pid: str | None = None,
    kind: str = "comment",
    hashtags: list[str] | None = None,
    action: ItemAction = ItemAction.CREATED,
) -> InboxItem:
    return InboxItem.create(
        platform=channel.split(":")[0],
        channel_id=channel,
        channel_known=True,
        addressed_account=channel.split(":")[-1],
        kind=kind,
        action=action,
        platform_item_id=pid or uuid.uuid5(uuid.NAMESPACE_URL, f"{channel}{created}").hex,
        text="" if action is ItemAction.DELETED else "hello",
        hashtags=hashtags or [],
        created_at=at(created),
    )


def routed(
    item: InboxItem,
    *,
    when: str,
    queue: str = "press",
    status: RoutedStatus = RoutedStatus.QUEUED,
    hold_until: str | None = None,
    campaigns: list[str] | None = None,
) -> RoutedItem:
    return RoutedItem(
        event_id=RoutedItem.event_id_for(item.event_id, status),
        occurred_at=at(when),
        item=item,
        queue=queue,
        status=status,
        rule="test",
        reason="test",
        hold_until=at(hold_until) if hold_until else None,
        campaigns=campaigns or [],
    )


def work(
    item: InboxItem,
    detail: WorkDetail,
    *,
    when: str,
    queue: str = "press",
    actor: str = "officer@example.org",
) -> WorkEvent:
    return WorkEvent.create(
        item_event_id=item.event_id,
        channel_id=item.channel_id,
        queue=queue,
        actor_kind=ActorKind.USER,
        actor=actor,
        command_id=make_event_id("test", str(item.event_id), detail.type, when),
        detail=detail,
        occurred_at=at(when),
    )


def withdrawn(item: InboxItem, *, when: str, queue: str = "press") -> RoutedItem:
    gone = InboxItem.create(
        platform=item.platform,
        channel_id=item.channel_id,
        channel_known=True,
        addressed_account=item.addressed_account,
        kind=item.kind,
        action=ItemAction.DELETED,
        platform_item_id=item.platform_item_id,
        text="",
        created_at=at(when),
    )
    return routed(gone, when=when, queue=queue)
