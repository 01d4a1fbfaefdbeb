"""How routed events fold into an item's routing state: a join, so order and repeats are moot.

The router emits `queued` for an item routed in hours, or `held` then `released`. Kafka may
deliver duplicates or reorder a replay; whatever the order, folding the same set of events
gives the same state, and the status never goes backwards (a `released` seen before its `held`
still means the item is available; the late `held` only fills in `hold_until`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from schemas.enums import RoutedStatus
from schemas.events import RoutedItem

# Later in the item's life wins. queued and released never both happen to one item; ranking
# released above queued only keeps the fold total and order-independent if they ever did.
_RANK = {RoutedStatus.HELD: 1, RoutedStatus.QUEUED: 2, RoutedStatus.RELEASED: 3}

HISTORY_KIND = {
    RoutedStatus.QUEUED: "routed",
    RoutedStatus.HELD: "held",
    RoutedStatus.RELEASED: "released",
}


@dataclass(frozen=True)
class Routing:
    """What the routed events so far say about one item."""

    routing_status: RoutedStatus
    queue: str
    rule: str
    reason: str
    campaigns: tuple[str, ...]
    hold_until: datetime | None
    received_at: datetime
    available_at: datetime | None

    @property
    def sort_at(self) -> datetime:
        """When the item became (or will become) workable: the work list's order."""
        return self.available_at or self.hold_until or self.received_at


def _from_event(event: RoutedItem) -> Routing:
    held = event.status is RoutedStatus.HELD
    return Routing(
        routing_status=event.status,
        queue=event.queue,
        rule=event.rule,
        reason=event.reason,
        campaigns=tuple(event.campaigns),
        hold_until=event.hold_until,
        received_at=event.occurred_at,
        available_at=None if held else event.occurred_at,
    )


def _earliest(a: datetime | None, b: datetime | None) -> datetime | None:
    if a is None or b is None:
        return a or b
    return min(a, b)


def fold(current: Routing | None, event: RoutedItem) -> Routing:
    """The routing state after `event`, given the state folded from earlier deliveries."""
    if current is None:
        return _from_event(event)
    received = min(current.received_at, event.occurred_at)
    incoming, present = _RANK[event.status], _RANK[current.routing_status]
    if incoming > present:
        newer = _from_event(event)
        # The queue is kept: it is the router's first answer, or a person's reassignment.
        return replace(
            newer,
            queue=current.queue,
            hold_until=event.hold_until or current.hold_until,
            received_at=received,
        )
    available = current.available_at
    if incoming == present and event.status is not RoutedStatus.HELD:
        available = _earliest(available, event.occurred_at)
    return replace(
        current,
        hold_until=current.hold_until or event.hold_until,
        received_at=received,
        available_at=available,
    )
