"""Each item's response-time clock, folded from routed and work events (pure).

The clock starts when the item becomes workable: the release time of a held item, the
receipt (the routed event's time) otherwise. The first response is the first published
reply, or the first submitted one while `count_submitted` is on (until a publisher runs,
submission is the only reply event there is). Resolution is the latest `resolved` not
followed by `reopened`. A withdrawn item (deleted on the platform) stops its clock.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from schemas.enums import ItemAction, ItemKind, Platform, RoutedStatus
from schemas.events import RoutedItem, inbox_event_id
from schemas.work import (
    Reassigned,
    Reopened,
    ReplyPublished,
    ReplySubmitted,
    Resolved,
    SlaBreached,
    SlaTarget,
    SlaWarning,
    WorkEvent,
)
from services.common.hashtags import hashtags_in


@dataclass
class ItemClock:
    """What the SLA needs to know about one item."""

    item_event_id: uuid.UUID
    channel_id: str = ""
    queue: str = "triage"
    platform: Platform | None = None
    kind: ItemKind | None = None
    received_at: datetime | None = None
    held: bool = False
    hold_until: datetime | None = None
    released_at: datetime | None = None
    submitted_at: datetime | None = None
    published_at: datetime | None = None
    resolved_at: datetime | None = None
    withdrawn_at: datetime | None = None
    campaigns: tuple[str, ...] = ()
    hashtags: tuple[str, ...] = ()
    # (target, action) pairs already on the work topic, e.g. (first_response, sla_warning).
    emitted: set[tuple[SlaTarget, str]] = field(default_factory=set)

    @property
    def workable_at(self) -> datetime | None:
        """When the clock starts: release for held items, receipt otherwise."""
        return self.released_at if self.held else self.received_at

    def responded_at(self, *, count_submitted: bool) -> datetime | None:
        """The first response, by the rule in the module docstring."""
        candidates = [self.published_at]
        if count_submitted:
            candidates.append(self.submitted_at)
        found = [c for c in candidates if c is not None]
        return min(found) if found else None

    def met_at(self, target: SlaTarget, *, count_submitted: bool) -> datetime | None:
        """When `target` was met, if it was."""
        if target is SlaTarget.FIRST_RESPONSE:
            return self.responded_at(count_submitted=count_submitted)
        return self.resolved_at


def _earliest(current: datetime | None, at: datetime) -> datetime:
    return at if current is None or at < current else current


class SlaBook:
    """Every item's clock, keyed by the item's (created) event id."""

    def __init__(self) -> None:
        self.items: dict[uuid.UUID, ItemClock] = {}

    def _get(self, item_event_id: uuid.UUID) -> ItemClock:
        clock = self.items.get(item_event_id)
        if clock is None:
            clock = self.items[item_event_id] = ItemClock(item_event_id=item_event_id)
        return clock

    def apply_routed(self, event: RoutedItem) -> ItemClock | None:
        """Fold a routed event; returns the clock it touched (None when irrelevant)."""
        item = event.item
        if item.action is ItemAction.DELETED:
            created = inbox_event_id(
                item.platform, item.platform_item_id, ItemAction.CREATED, channel_id=item.channel_id
            )
            clock = self._get(created)
            clock.withdrawn_at = _earliest(clock.withdrawn_at, event.occurred_at)
            return clock
        if item.action is not ItemAction.CREATED:
            return None
        clock = self._get(item.event_id)
        clock.channel_id, clock.platform, clock.kind = item.channel_id, item.platform, item.kind
        clock.campaigns = tuple(event.campaigns)
        # Written in the text or given by the platform: the router's campaign rule reads both.
        clock.hashtags = (*item.hashtags, *hashtags_in(item.text))
        if clock.received_at is None or event.status is not RoutedStatus.RELEASED:
            clock.queue = event.queue
        if event.status is RoutedStatus.RELEASED:
            clock.held = True
            clock.released_at = _earliest(clock.released_at, event.occurred_at)
        else:
            clock.received_at = _earliest(clock.received_at, event.occurred_at)
            if event.status is RoutedStatus.HELD:
                clock.held, clock.hold_until = True, event.hold_until
        return clock

    def apply_work(self, event: WorkEvent) -> ItemClock:
        """Fold a work event into its item's clock."""
        clock = self._get(event.item_event_id)
        detail, at = event.detail, event.occurred_at
        if not clock.channel_id:
            clock.channel_id = event.channel_id
        if isinstance(detail, ReplySubmitted):
            clock.submitted_at = _earliest(clock.submitted_at, at)
        elif isinstance(detail, ReplyPublished):
            clock.published_at = _earliest(clock.published_at, at)
        elif isinstance(detail, Resolved):
            clock.resolved_at = clock.resolved_at or at
        elif isinstance(detail, Reopened):
            clock.resolved_at = None
        elif isinstance(detail, Reassigned):
            clock.queue = detail.to_queue
        elif isinstance(detail, SlaWarning | SlaBreached):
            clock.emitted.add((detail.target, detail.type))
        return clock
