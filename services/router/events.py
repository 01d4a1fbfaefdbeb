"""Turn decisions and holds into wire events (RoutedItem, DeadLetter)."""

from __future__ import annotations

import base64
from datetime import datetime

from schemas.enums import RoutedStatus
from schemas.events import DeadLetter, InboxItem, RoutedItem
from services.router.domain.decide import Decision
from services.router.domain.holds import HeldEntry

DEAD_LETTER_SOURCE = "router"


def routed_event(item: InboxItem, decision: Decision, *, now: datetime) -> RoutedItem:
    """The queued or held event for a fresh decision."""
    return RoutedItem(
        event_id=RoutedItem.event_id_for(item.event_id, decision.status),
        occurred_at=now,
        item=item,
        queue=decision.queue,
        status=decision.status,
        rule=decision.rule,
        reason=decision.reason,
        hold_until=decision.hold_until,
        campaigns=list(decision.campaigns),
    )


def released_event(entry: HeldEntry) -> RoutedItem:
    """The released event for a hold whose opening came.

    Everything in it derives from the hold (occurred_at is the opening itself), so a release
    repeated after a crash is the same event, byte for byte.
    """
    return RoutedItem(
        event_id=RoutedItem.event_id_for(entry.item.event_id, RoutedStatus.RELEASED),
        occurred_at=entry.hold_until,
        item=entry.item,
        queue=entry.queue,
        status=RoutedStatus.RELEASED,
        rule=entry.rule,
        # The held reason already names the opening, in the queue's own timezone.
        reason=f"{entry.reason}; released when {entry.calendar} opened",
        hold_until=entry.hold_until,
        campaigns=entry.campaigns,
    )


def dead_letter(
    payload: bytes,
    err: Exception,
    *,
    now: datetime,
    topic: str | None,
    partition: int | None,
    offset: int | None,
) -> DeadLetter:
    """A dead letter naming the error and carrying the original bytes."""
    try:
        text, encoding = payload.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = base64.b64encode(payload).decode("ascii"), "base64"
    return DeadLetter(
        event_id=DeadLetter.event_id_for(DEAD_LETTER_SOURCE, payload),
        occurred_at=now,
        source=DEAD_LETTER_SOURCE,
        source_topic=topic,
        source_partition=partition,
        source_offset=offset,
        error_type=type(err).__name__,
        error=str(err)[:10_000] or type(err).__name__,
        payload=text,
        payload_encoding="utf-8" if encoding == "utf-8" else "base64",
    )
