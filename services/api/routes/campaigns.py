"""Campaign hashtags: stored here, and sent through the outbox to the campaigns topic."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from fastapi import APIRouter, HTTPException, status
from fastapi.exceptions import RequestValidationError
from sqlmodel import col, select

from schemas.admin import AdminEvent, CampaignChanged
from schemas.events import Campaign
from services.api.admin_apply import record_admin
from services.api.auth import Principal
from services.api.campaign_tags import item_counts
from services.api.db import next_change
from services.api.deps import ContextDep, PrincipalDep, SessionDep
from services.api.models import CampaignRow
from services.api.public import (
    CampaignEndIn,
    CampaignIn,
    CampaignListOut,
    CampaignOut,
    CampaignUpdateIn,
)
from services.api.routes.responses import OUT_OF_SCOPE, R400, R401, R403, R404, R409, R413
from services.router.domain.campaigns import CAMPAIGN_ZONE

router = APIRouter(prefix="/v1/campaigns", tags=["campaigns"])


def _out(row: CampaignRow, items: int = 0) -> CampaignOut:
    return CampaignOut.model_validate(row, from_attributes=True).model_copy(update={"items": items})


def _event(
    fields: dict[str, Any], *, principal: Principal, now: datetime, created: bool = True
) -> AdminEvent:
    try:
        # The Campaign the router reads is built from it; validate it as the router will.
        campaign = Campaign(event_id=uuid.uuid4(), occurred_at=now, **fields)
        dumped = campaign.model_dump(exclude={"event_id", "occurred_at", "schema_version"})
        detail = CampaignChanged(**dumped, created=created)
    except ValueError as err:
        raise RequestValidationError(
            [{"loc": ("body",), "msg": str(err), "type": "value_error"}]
        ) from err
    return AdminEvent.create(
        subject=campaign.campaign_id,
        actor_kind=principal.actor_kind,
        actor=principal.name,
        command_id=uuid.uuid4(),
        detail=detail,
        occurred_at=now,
    )


@router.post(
    "",
    response_model=CampaignOut,
    status_code=status.HTTP_201_CREATED,
    responses={**R401, **R403, **R409, **R400, **R413},
)
def create_campaign(
    ctx: ContextDep, session: SessionDep, principal: PrincipalDep, body: CampaignIn
) -> CampaignOut:
    """Track a campaign hashtag: stored, with its events in the outbox in one transaction.

    A CampaignChanged (inbox.admin.v1) and the Campaign (inbox.campaigns.v1, key
    campaign_id, which the router reads); the relay sends them after commit.

    The owner queue must be one of the caller's queues (admins: any queue in the registry).
    """
    if body.owner_queue not in ctx.registry.queues:
        raise RequestValidationError(
            [{"loc": ("body", "owner_queue"), "msg": "unknown queue", "type": "value_error"}]
        )
    if not principal.sees_queue(body.owner_queue):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "owner_queue is not one of your queues")
    now = ctx.clock()
    event = _event(body.model_dump(), principal=principal, now=now)
    session.expire_on_commit = False
    with session.begin():
        next_change(session)
        if session.get(CampaignRow, body.campaign_id) is not None:
            raise HTTPException(status.HTTP_409_CONFLICT, f"campaign {body.campaign_id} exists")
        record_admin(session, event=event, now=now)
        row = session.get(CampaignRow, body.campaign_id)
        assert row is not None
        counts = item_counts(session, [row.hashtag])
    return _out(row, counts[row.hashtag.lower()])


@router.get("", response_model=CampaignListOut, responses={**R401})
def list_campaigns(session: SessionDep, principal: PrincipalDep) -> CampaignListOut:
    """Campaigns owned by the caller's queues (admins: all), by campaign id."""
    query = select(CampaignRow).order_by(col(CampaignRow.campaign_id))
    if not principal.is_admin:
        query = query.where(col(CampaignRow.owner_queue).in_(sorted(principal.queues)))
    rows = list(session.exec(query))
    counts = item_counts(session, [r.hashtag for r in rows])
    return CampaignListOut(campaigns=[_out(r, counts[r.hashtag.lower()]) for r in rows])


def _fields(row: CampaignRow) -> dict[str, Any]:
    return {
        "campaign_id": row.campaign_id,
        "name": row.name,
        "hashtag": row.hashtag,
        "owner_queue": row.owner_queue,
        "start_date": row.start_date,
        "end_date": row.end_date,
        "active": row.active,
    }


def _change(
    ctx: ContextDep,
    session: SessionDep,
    principal: Principal,
    campaign_id: str,
    changes: Callable[[CampaignRow, datetime], dict[str, Any]],
) -> CampaignOut:
    """Apply one change to a campaign the caller owns, as a CampaignChanged in the outbox."""
    now = ctx.clock()
    session.expire_on_commit = False
    with session.begin():
        next_change(session)
        row = session.get(CampaignRow, campaign_id)
        if row is None or not (principal.is_admin or principal.sees_queue(row.owner_queue)):
            if not principal.is_admin:
                raise HTTPException(status.HTTP_403_FORBIDDEN, OUT_OF_SCOPE)
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"no campaign {campaign_id}")
        fields = {**_fields(row), **changes(row, now)}
        if fields != _fields(row):
            event = _event(fields, principal=principal, now=now, created=False)
            record_admin(session, event=event, now=now)
        counts = item_counts(session, [row.hashtag])
    return _out(row, counts[row.hashtag.lower()])


_CHANGE_RESPONSES: dict[int | str, dict[str, Any]] = {**R401, **R403, **R404, **R400, **R413}


@router.patch("/{campaign_id}", response_model=CampaignOut, responses=_CHANGE_RESPONSES)
def update_campaign(
    ctx: ContextDep,
    session: SessionDep,
    principal: PrincipalDep,
    campaign_id: str,
    body: CampaignUpdateIn,
) -> CampaignOut:
    """Change a campaign's name, hashtag or dates; stored items are tagged again to match."""
    given = body.model_dump(exclude_unset=True)
    return _change(ctx, session, principal, campaign_id, lambda _row, _now: given)


@router.post("/{campaign_id}/end", response_model=CampaignOut, responses=_CHANGE_RESPONSES)
def end_campaign(
    ctx: ContextDep,
    session: SessionDep,
    principal: PrincipalDep,
    campaign_id: str,
    body: CampaignEndIn | None = None,
) -> CampaignOut:
    """End a campaign: its last counted day is `end_date` (default: today, UK date)."""

    def ends(_row: CampaignRow, now: datetime) -> dict[str, Any]:
        last = body.end_date if body and body.end_date else now.astimezone(CAMPAIGN_ZONE).date()
        return {"end_date": last}

    return _change(ctx, session, principal, campaign_id, ends)


@router.post("/{campaign_id}/withdraw", response_model=CampaignOut, responses=_CHANGE_RESPONSES)
def withdraw_campaign(
    ctx: ContextDep, session: SessionDep, principal: PrincipalDep, campaign_id: str
) -> CampaignOut:
    """Stop tracking a campaign (the router tags nothing more; reports leave it out)."""
    return _change(ctx, session, principal, campaign_id, lambda _row, _now: {"active": False})
