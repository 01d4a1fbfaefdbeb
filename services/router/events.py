"""Turn decisions and holds into wire events (RoutedItem, DeadLetter)."""

from __future__ import annotations

from datetime import datetime

from schemas.enums import RoutedStatus
from schemas.events import InboxItem, RoutedItem
from services.router.domain.decide import Decision
from services.router.domain.holds import HeldEntry

DEAD_LETTER_SOURCE = "router"
_REASON_MAX: int = next(
    m.max_length for m in RoutedItem.model_fields["reason"].metadata if hasattr(m, "max_length")
)


def _fitting(reason: str) -> str:
    """A release's reason within the schema's limit: the hold was accepted, so it must go out."""
    return reason if len(reason) <= _REASON_MAX else reason[: _REASON_MAX - 3] + "..."


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
        reason=_fitting(f"{entry.reason}; released when {entry.calendar} opened"),
        hold_until=entry.hold_until,
        campaigns=entry.campaigns,
    )
