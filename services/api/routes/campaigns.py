"""Campaign hashtags: stored here and published to the compacted campaigns topic."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from schemas.envelope import make_event_id
from schemas.events import Campaign
from schemas.topics import INBOX_CAMPAIGNS
from services.api.deps import ContextDep, PrincipalDep, SessionDep
from services.api.models import CampaignRow
from services.api.public import CampaignIn, CampaignListOut, CampaignOut
from services.api.publisher import PublishError
from services.api.routes.common import R400, R401, R403, R409, R413, R503

router = APIRouter(prefix="/v1/campaigns", tags=["campaigns"])


def _out(row: CampaignRow) -> CampaignOut:
    return CampaignOut.model_validate(row, from_attributes=True)


def _event(body: CampaignIn, *, now_iso: str, ctx: ContextDep) -> Campaign:
    try:
        return Campaign(
            event_id=make_event_id("campaign", body.campaign_id, now_iso),
            occurred_at=ctx.clock(),
            **body.model_dump(),
        )
    except ValueError as err:
        raise RequestValidationError(
            [{"loc": ("body",), "msg": str(err), "type": "value_error"}]
        ) from err


@router.post(
    "",
    response_model=CampaignOut,
    status_code=status.HTTP_201_CREATED,
    responses={**R401, **R403, **R409, **R400, **R413, **R503},
)
def create_campaign(
    ctx: ContextDep, session: SessionDep, principal: PrincipalDep, body: CampaignIn
) -> CampaignOut:
    """Track a campaign hashtag: published to inbox.campaigns.v1 (key campaign_id), then stored.

    The owner queue must be one of the caller's queues (admins: any queue in the registry).
    """
    if body.owner_queue not in ctx.registry.queues:
        raise RequestValidationError(
            [{"loc": ("body", "owner_queue"), "msg": "unknown queue", "type": "value_error"}]
        )
    if not principal.sees_queue(body.owner_queue):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "owner_queue is not one of your queues")
    now = ctx.clock()
    event = _event(body, now_iso=now.isoformat(), ctx=ctx)
    if session.get(CampaignRow, body.campaign_id) is not None:
        raise HTTPException(status.HTTP_409_CONFLICT, f"campaign {body.campaign_id} exists")
    try:
        ctx.publisher.publish(INBOX_CAMPAIGNS, key=event.campaign_id, event=event)
    except PublishError as err:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, str(err)) from err
    row = CampaignRow(
        campaign_id=event.campaign_id,
        name=event.name,
        hashtag=event.hashtag,
        owner_queue=event.owner_queue,
        start_date=event.start_date,
        end_date=event.end_date,
        active=event.active,
        created_by=principal.name,
        created_at=now,
    )
    session.add(row)
    try:
        session.commit()
    except IntegrityError as err:
        raise HTTPException(
            status.HTTP_409_CONFLICT, f"campaign {body.campaign_id} exists"
        ) from err
    return _out(row)


@router.get("", response_model=CampaignListOut, responses={**R401})
def list_campaigns(session: SessionDep, principal: PrincipalDep) -> CampaignListOut:
    """Campaigns owned by the caller's queues (admins: all), by campaign id."""
    query = select(CampaignRow).order_by(col(CampaignRow.campaign_id))
    if not principal.is_admin:
        query = query.where(col(CampaignRow.owner_queue).in_(sorted(principal.queues)))
    return CampaignListOut(campaigns=[_out(r) for r in session.exec(query)])
