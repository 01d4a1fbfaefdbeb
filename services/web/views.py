"""What the pages show, built from the same store functions the JSON routes use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Row
from sqlmodel import Session

from schemas.registry import ChannelRegistry
from services.api import store
from services.api.auth import Principal
from services.api.domain.workflow import WorkStatus
from services.router.domain.calendar import OfficeCalendar, build_calendars
from services.web import queries

LIST_LIMIT = 50  # as the JSON work list's default page


@dataclass(frozen=True)
class Office:
    """Whether a queue's office is open now, why, and when it next opens."""

    open: bool
    detail: str
    opens: datetime | None


@cache
def _calendars(registry: ChannelRegistry) -> dict[str, OfficeCalendar]:
    return build_calendars(registry)


def office(registry: ChannelRegistry, *, queue: str, now: datetime) -> Office:
    """The office verdict of `queue`'s calendar at `now`."""
    name, _spec = registry.calendar_for_queue(queue)
    calendar = _calendars(registry)[name]
    verdict = calendar.verdict(now)
    return Office(
        open=verdict.open,
        detail=verdict.detail,
        opens=None if verdict.open else calendar.next_opening(now),
    )


def queue_name(registry: ChannelRegistry, queue: str) -> str:
    """A queue's display name ("Press team")."""
    spec = registry.queues.get(queue)
    return spec.name if spec else queue


def queue_summaries(
    session: Session, *, principal: Principal, registry: ChannelRegistry, now: datetime
) -> list[dict[str, Any]]:
    """Each of the user's queues with its counts, next release and office state."""
    queues = sorted(principal.queues, key=lambda q: queue_name(registry, q))
    counts = store.queue_counts(session, principal=principal, queues=queues)
    out = []
    for queue in queues:
        oldest = store.oldest_open(session, principal=principal, queue=queue)
        out.append(
            {
                "queue": queue,
                "name": queue_name(registry, queue),
                "open": counts[queue].get(WorkStatus.OPEN.value, 0),
                "held": counts[queue].get(WorkStatus.HELD.value, 0),
                "claimed": counts[queue].get(WorkStatus.CLAIMED.value, 0),
                "escalated": queries.escalated_count(session, principal=principal, queue=queue),
                "releases": queries.next_release(session, principal=principal, queue=queue),
                "oldest": oldest,
                "oldest_age": (now - oldest).total_seconds() if oldest else None,
                "office": office(registry, queue=queue, now=now),
            }
        )
    return out


def rows_out(session: Session, rows: list[Row[Any]], *, now: datetime) -> list[dict[str, Any]]:
    """List rows as the work-list table shows them, campaign tags included."""
    tags = queries.campaigns_of(session, item_ids=[r.id for r in rows])
    return [
        {
            "event_id": r.event_id,
            "text": r.text,
            "channel_id": r.channel_id,
            "platform": r.platform,
            "author_handle": r.author_handle,
            "status": r.status,
            "hold_until": r.hold_until,
            "claimed_by": r.claimed_by,
            "escalated": r.escalated,
            "campaigns": tags.get(r.id, []),
            "age": (now - r.sort_at).total_seconds(),
        }
        for r in rows
    ]


def work_rows(
    session: Session, *, principal: Principal, queue: str, status: WorkStatus, now: datetime
) -> list[dict[str, Any]]:
    """The first page of a queue's work list (store.work_list, as GET /v1/queues/.../items)."""
    rows = store.work_list(
        session, principal=principal, queue=queue, status=status, after=None, limit=LIST_LIMIT
    )
    return rows_out(session, rows, now=now)


def lead_rows(
    session: Session, *, principal: Principal, status: WorkStatus, now: datetime
) -> list[dict[str, Any]]:
    """A local lead's items across their channels."""
    rows = queries.channel_items(
        session, channels=sorted(principal.channels), status=status, limit=LIST_LIMIT
    )
    return rows_out(session, rows, now=now)
