"""Campaign hashtags: stored here, and sent through the outbox to the campaigns topic."""

from __future__ import annotations

import uuid
from datetime import datetime

from fastapi import APIRouter, HTTPException, status
from fastapi.exceptions import RequestValidationError
from sqlmodel import col, select

from schemas.admin import AdminEvent, CampaignChanged
from schemas.events import Campaign
from services.api.admin_apply import record_admin
from services.api.auth import Principal
from services.api.db import next_change
from services.api.deps import ContextDep, PrincipalDep, SessionDep
from services.api.models import CampaignRow
from services.api.public import CampaignIn, CampaignListOut, CampaignOut
from services.api.routes.common import R400, R401, R403, R409, R413

router = APIRouter(prefix="/v1/campaigns", tags=["campaigns"])


def _out(row: CampaignRow) -> CampaignOut:
    return CampaignOut.model_validate(row, from_attributes=True)


def _event(body: CampaignIn, *, principal: Principal, now: datetime) -> AdminEvent:
    try:
        # The Campaign the router reads is built from it; validate it as the router will.
        campaign = Campaign(event_id=uuid.uuid4(), occurred_at=now, **body.model_dump())
        fields = campaign.model_dump(exclude={"event_id", "occurred_at", "schema_version"})
        detail = CampaignChanged(**fields, created=True)
    except ValueError as err:
        raise RequestValidationError(
            [{"loc": ("body",), "msg": str(err), "type": "value_error"}]
        ) from err
    return AdminEvent.create(
        subject=body.campaign_id,
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
    event = _event(body, principal=principal, now=now)
    session.expire_on_commit = False
    with session.begin():
        next_change(session)
        if session.get(CampaignRow, body.campaign_id) is not None:
            raise HTTPException(status.HTTP_409_CONFLICT, f"campaign {body.campaign_id} exists")
        record_admin(session, event=event, now=now)
        row = session.get(CampaignRow, body.campaign_id)
    assert row is not None
    return _out(row)


@router.get("", response_model=CampaignListOut, responses={**R401})
def list_campaigns(session: SessionDep, principal: PrincipalDep) -> CampaignListOut:
    """Campaigns owned by the caller's queues (admins: all), by campaign id."""
    query = select(CampaignRow).order_by(col(CampaignRow.campaign_id))
    if not principal.is_admin:
        query = query.where(col(CampaignRow.owner_queue).in_(sorted(principal.queues)))
    return CampaignListOut(campaigns=[_out(r) for r in session.exec(query)])
