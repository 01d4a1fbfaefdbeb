"""GET /v1/audit: every work and admin event folded into this database (admins only)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status
from fastapi.exceptions import RequestValidationError

from services.api import store
from services.api.cursors import CursorError, page_cursor, read_page_cursor
from services.api.deps import PrincipalDep, SessionDep
from services.api.public import AuditEntryOut, AuditPageOut
from services.api.routes.responses import R400C, R401, R403, bad_cursor

router = APIRouter(prefix="/v1/audit", tags=["audit"])


@router.get("", response_model=AuditPageOut, responses={**R400C, **R401, **R403})
def audit(
    session: SessionDep,
    principal: PrincipalDep,
    actor: Annotated[str | None, Query(max_length=200, description="Who did it.")] = None,
    item: Annotated[uuid.UUID | None, Query(description="The item's event id.")] = None,
    since: Annotated[datetime | None, Query(description="From this instant (inclusive).")] = None,
    until: Annotated[datetime | None, Query(description="Before this instant.")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> AuditPageOut:
    """Every work and admin event, oldest first, with actor kind and the event as sent.

    Work events: claims, replies, approvals, moderation, SLA... Admin events: tokens,
    campaigns, users.
    """
    if not principal.is_admin:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "the audit log is for admins")
    for name, value in (("since", since), ("until", until)):
        if value is not None and value.tzinfo is None:
            raise RequestValidationError(
                [{"loc": ("query", name), "msg": "needs a time zone", "type": "value_error"}]
            )
    try:
        after = read_page_cursor(cursor) if cursor else None
    except CursorError as err:
        raise bad_cursor("cursor", err) from err
    rows = store.audit_page(
        session,
        actor=actor,
        item_event_id=item,
        since=since,
        until=until,
        after=after,
        limit=limit + 1,
    )
    more, rows = len(rows) > limit, rows[:limit]
    entries = [
        AuditEntryOut(
            event_id=r.event_id,
            topic=r.topic,
            action=r.action,
            actor_kind=r.actor_kind,
            actor=r.actor,
            subject=r.subject,
            item_id=r.item_event_id,
            at=r.at,
            event=r.payload,
        )
        for r in rows
    ]
    last = rows[-1] if rows and more else None
    next_cursor = page_cursor(sort_at=last.at, item_id=last.id) if last and last.id else None
    return AuditPageOut(entries=entries, next_cursor=next_cursor)
