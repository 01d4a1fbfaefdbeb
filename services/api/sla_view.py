"""An item's response-time targets as people see them: due at, office time remaining, state.

Computed on read from the item's queue, its workable time and the registry (the same pure
deadline code the SLA timer uses), so the figures agree with the events the timer emits.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, Field

from schemas.registry import ChannelRegistry
from schemas.work import SlaTarget
from services.api.models import Item
from services.router.domain.calendar import OfficeCalendar
from services.router.domain.office_time import add_office_time, office_time_between
from services.sla.domain.timer import target_hours


class SlaTargetOut(BaseModel):
    """One target of one item."""

    target: SlaTarget
    target_hours: float = Field(description="The queue's target, in office hours.")
    due_at: datetime = Field(description="When it falls due (office time after workable).")
    remaining_office_seconds: float = Field(
        description="Office time from now to due_at; negative once it has passed."
    )
    state: str | None = Field(description="warning or breached, once the timer said so.")


def sla_targets(item: Item, *, registry: ChannelRegistry, now: datetime) -> list[SlaTargetOut]:
    """Both targets of a workable item (none while it is held)."""
    if item.available_at is None:
        return []
    name, spec = registry.calendar_for_queue(item.queue)
    calendar = OfficeCalendar(spec, name=name)
    sla = registry.sla_for_queue(item.queue)
    out = []
    for target in SlaTarget:
        hours = target_hours(sla, target)
        due = add_office_time(calendar, item.available_at, timedelta(hours=hours))
        flags = (item.sla or {}).get(target.value) or {}
        out.append(
            SlaTargetOut(
                target=target,
                target_hours=hours,
                due_at=due,
                remaining_office_seconds=office_time_between(calendar, now, due).total_seconds(),
                state=flags.get("state"),
            )
        )
    return out
