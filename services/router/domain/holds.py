"""Held items: what the router keeps while a queue is closed, and which are due."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from schemas.envelope import UtcDatetime
from schemas.events import InboxItem
from services.router.domain.calendar import require_aware
from services.router.domain.decide import Decision


class HeldEntry(BaseModel):
    """One held item with its decision and where it arrived from (the hold table's value)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    item: InboxItem
    queue: str
    rule: str
    reason: str
    calendar: str
    campaigns: list[str] = Field(default_factory=list)
    hold_until: UtcDatetime = Field(description="Next opening; the item is released from then.")
    arrived_at: UtcDatetime = Field(description="The router's `now` when the item was routed.")
    received_ns: int = Field(description="Wall-clock ns at receipt: orders same-instant arrivals.")
    partition: int = Field(ge=0, description="Partition the item (and its hold) lives in.")
    offset: int = Field(ge=0, description="Offset of the item in that partition.")

    @classmethod
    def from_decision(
        cls,
        item: InboxItem,
        decision: Decision,
        *,
        arrived_at: datetime,
        received_ns: int,
        partition: int,
        offset: int,
    ) -> HeldEntry:
        """The hold for an item that `decide` held."""
        if decision.hold_until is None:
            raise ValueError("only a held decision (with hold_until) can be held")
        return cls(
            item=item,
            queue=decision.queue,
            rule=decision.rule,
            reason=decision.reason,
            calendar=decision.calendar,
            campaigns=list(decision.campaigns),
            hold_until=decision.hold_until,
            arrived_at=arrived_at,
            received_ns=received_ns,
            partition=partition,
            offset=offset,
        )

    def arrival_key(self) -> tuple[datetime, int, int, int]:
        """Sort key giving arrival order."""
        return (self.arrived_at, self.received_ns, self.partition, self.offset)


def settled_releases(due: Sequence[HeldEntry], acked: Sequence[bool]) -> list[HeldEntry]:
    """The holds whose release may be forgotten, in arrival order.

    `due` is a tick's releases in arrival order and `acked[i]` says whether the broker
    acknowledged `due[i]`. A failed release keeps its hold, and so does every later release
    on the same channel even if it was acknowledged: the next tick sends them again after
    the failed one, so the hold table never holds an earlier item of a channel without the
    later ones.
    """
    if len(due) != len(acked):
        raise ValueError(f"{len(due)} releases but {len(acked)} outcomes")
    blocked: set[str] = set()
    settled = []
    for entry, ok in zip(due, acked, strict=True):
        channel = entry.item.channel_id
        if not ok or channel in blocked:
            blocked.add(channel)
            continue
        settled.append(entry)
    return settled


def due_for_release(entries: Iterable[HeldEntry], now: datetime) -> list[HeldEntry]:
    """Held entries whose opening has come at `now`, in arrival order."""
    require_aware(now)
    return sorted((e for e in entries if e.hold_until <= now), key=HeldEntry.arrival_key)
