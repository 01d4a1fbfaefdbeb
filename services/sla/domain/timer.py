"""When each target's warning and breach fall due, and which are due now (pure).

Deadlines are office time after the item became workable, on its queue's calendar. An
event's `occurred_at` is its scheduled instant, not the moment the timer noticed, and its
id derives from the item, target and action alone: a restart or a replay that decides
again produces the same event, which every consumer skips.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from schemas.envelope import make_event_id
from schemas.registry import SlaSpec
from schemas.work import ActorKind, SlaBreached, SlaTarget, SlaWarning, WorkEvent
from services.router.domain.calendar import OfficeCalendar
from services.router.domain.office_time import add_office_time
from services.sla.domain.book import ItemClock

ACTOR = "sla"


@dataclass(frozen=True)
class Deadline:
    """One target of one item: when its warning and its breach fall due."""

    target: SlaTarget
    warn_at: datetime
    due_at: datetime


def target_hours(sla: SlaSpec, target: SlaTarget) -> float:
    """The target's office hours."""
    if target is SlaTarget.FIRST_RESPONSE:
        return sla.first_response_hours
    return sla.resolution_hours


def deadlines(clock: ItemClock, *, sla: SlaSpec, calendar: OfficeCalendar) -> list[Deadline]:
    """Both targets' deadlines; none until the item is workable."""
    start = clock.workable_at
    if start is None:
        return []
    out = []
    for target in SlaTarget:
        hours = timedelta(hours=target_hours(sla, target))
        out.append(
            Deadline(
                target=target,
                warn_at=add_office_time(calendar, start, hours * sla.warn_at),
                due_at=add_office_time(calendar, start, hours),
            )
        )
    return out


def sla_event(
    clock: ItemClock, *, target: SlaTarget, breach: bool, due_at: datetime, at: datetime
) -> WorkEvent:
    """The warning or breach event for one item and target (deterministic id)."""
    detail: SlaWarning | SlaBreached = (
        SlaBreached(target=target, due_at=due_at)
        if breach
        else SlaWarning(target=target, due_at=due_at)
    )
    return WorkEvent.create(
        item_event_id=clock.item_event_id,
        channel_id=clock.channel_id,
        queue=clock.queue,
        actor_kind=ActorKind.SERVICE,
        actor=ACTOR,
        command_id=make_event_id(ACTOR, str(clock.item_event_id), target.value, detail.type),
        detail=detail,
        occurred_at=at,
    )


def _live(
    clock: ItemClock, plan: list[Deadline], *, count_submitted: bool
) -> list[tuple[datetime, Deadline, bool]]:
    """(instant, deadline, is_breach) of every event not yet emitted and not pre-empted.

    A target met, or an item withdrawn, at or before an instant pre-empts that instant's
    event; an item's target met later than its warning still had its warning.
    """
    out = []
    for d in plan:
        met = clock.met_at(d.target, count_submitted=count_submitted)
        for breach, at in ((False, d.warn_at), (True, d.due_at)):
            action = "sla_breached" if breach else "sla_warning"
            if (d.target, action) in clock.emitted:
                continue
            if (met is not None and met <= at) or (
                clock.withdrawn_at is not None and clock.withdrawn_at <= at
            ):
                continue
            out.append((at, d, breach))
    return sorted(out, key=lambda x: (x[0], x[2], x[1].target.value))


def due_events(
    clock: ItemClock, *, plan: list[Deadline], now: datetime, count_submitted: bool
) -> list[WorkEvent]:
    """Warnings and breaches whose instant has come, not yet emitted, and not pre-empted."""
    return [
        sla_event(clock, target=d.target, breach=breach, due_at=d.due_at, at=at)
        for at, d, breach in _live(clock, plan, count_submitted=count_submitted)
        if at <= now
    ]


def next_instant(
    clock: ItemClock, *, plan: list[Deadline], count_submitted: bool
) -> datetime | None:
    """The earliest instant an event of this item may still fall due at, if any."""
    live = _live(clock, plan, count_submitted=count_submitted)
    return live[0][0] if live else None


def settled(clock: ItemClock, *, count_submitted: bool) -> bool:
    """True when no warning or breach can come any more (met, breached or withdrawn)."""
    if clock.withdrawn_at is not None:
        return True
    return all(
        clock.met_at(t, count_submitted=count_submitted) is not None
        or (t, "sla_breached") in clock.emitted
        for t in SlaTarget
    )
