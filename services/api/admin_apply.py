"""Admin events (tokens, campaigns, users): recorded by commands, folded by projector and rebuild.

As with work events, a command folds its own event in (through `apply_admin`) and puts it in
the outbox in the same transaction; the projector later skips it by id, and a rebuild folds it
from inbox.admin.v1 through the same function.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from schemas.admin import AdminEvent, CampaignChanged, TokenCreated, TokenRevoked
from schemas.events import Campaign
from schemas.topics import INBOX_ADMIN, INBOX_CAMPAIGNS
from services.api.models import ApiToken, AuditEvent, CampaignRow
from services.api.outbox import enqueue
from services.api.work_apply import seen


def _token(session: Session, event: AdminEvent, detail: TokenCreated | TokenRevoked) -> None:
    row = session.exec(select(ApiToken).where(ApiToken.name == detail.name)).first()
    if isinstance(detail, TokenRevoked):
        if row is not None and row.revoked_at is None:
            row.revoked_at = event.occurred_at
            session.add(row)
        return
    if row is None:
        session.add(
            ApiToken(
                name=detail.name,
                role=detail.role,
                queues=list(detail.queues),
                channels=list(detail.channels),
                approver_queues=list(detail.approver_queues),
                token_hash=detail.token_hash,
                created_at=event.occurred_at,
            )
        )


def _campaign(session: Session, event: AdminEvent, detail: CampaignChanged) -> None:
    row = session.get(CampaignRow, detail.campaign_id) or CampaignRow(
        campaign_id=detail.campaign_id,
        name=detail.name,
        hashtag=detail.hashtag,
        owner_queue=detail.owner_queue,
        start_date=detail.start_date,
        created_by=event.actor,
        created_at=event.occurred_at,
    )
    row.name, row.hashtag, row.owner_queue = detail.name, detail.hashtag, detail.owner_queue
    row.start_date, row.end_date, row.active = detail.start_date, detail.end_date, detail.active
    session.add(row)


def apply_admin(session: Session, *, event: AdminEvent, now: datetime) -> bool:
    """Fold one admin event in; False when already applied. The caller owns the transaction.

    User events are recorded in the audit log only: the web page keeps its users' table.
    """
    if seen(session, event.event_id):
        return False
    session.add(
        AuditEvent(
            event_id=event.event_id,
            topic=INBOX_ADMIN.name,
            action=event.action,
            actor_kind=event.actor_kind.value,
            actor=event.actor,
            subject=event.subject,
            at=event.occurred_at,
            payload=event.model_dump(mode="json"),
            recorded_at=now,
        )
    )
    detail = event.detail
    if isinstance(detail, TokenCreated | TokenRevoked):
        _token(session, event, detail)
    elif isinstance(detail, CampaignChanged):
        _campaign(session, event, detail)
    session.flush()
    return True


def record_admin(session: Session, *, event: AdminEvent, now: datetime) -> bool:
    """A command's admin event: fold it in and put it in the outbox; False when a retry.

    A campaign's event also puts the Campaign the router reads (inbox.campaigns.v1) there.
    """
    if not apply_admin(session, event=event, now=now):
        return False
    enqueue(session, INBOX_ADMIN, key=event.subject, event=event, now=now)
    detail = event.detail
    if isinstance(detail, CampaignChanged):
        campaign = Campaign(
            event_id=event.event_id,
            occurred_at=event.occurred_at,
            **detail.model_dump(exclude={"type", "created"}),
        )
        enqueue(session, INBOX_CAMPAIGNS, key=campaign.campaign_id, event=campaign, now=now)
    return True
