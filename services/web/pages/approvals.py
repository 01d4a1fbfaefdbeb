"""The approvers' page: replies held for approval in their queues; approve, or reject."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session, col, select

from services.api import actions
from services.api.context import ApiContext
from services.api.deps import ContextDep, SessionDep
from services.api.domain.workflow import ActionConflictError
from services.api.models import Item, ReplyRow
from services.web import views
from services.web.deps import Acting, SignedIn
from services.web.pages.work import NotVisibleError
from services.web.render import page
from services.web.users import WebUser

router = APIRouter(prefix="/approvals", include_in_schema=False)
LIMIT = 100


def _approver(user: WebUser) -> None:
    if not (user.approves or user.is_admin):
        raise NotVisibleError


def pending(session: Session, *, user: WebUser) -> list[tuple[ReplyRow, Item]]:
    """Replies pending approval in the queues `user` approves (admins: every queue)."""
    query = (
        select(ReplyRow, Item)
        .join(Item, Item.id == ReplyRow.item_id)  # type: ignore[arg-type]
        .where(ReplyRow.status == "pending_approval")
        .order_by(col(ReplyRow.submitted_at))
        .limit(LIMIT)
    )
    if not user.is_admin:
        query = query.where(col(Item.queue).in_(sorted(user.approves)))
    return [(r, i) for r, i in session.exec(query).all()]


def _page(
    request: Request,
    ctx: ApiContext,
    session: Session,
    signed_in: tuple[WebUser, str],
    **extra: Any,
) -> HTMLResponse:
    user, csrf = signed_in
    rows = [
        {"reply": r, "item": i, "queue": views.queue_name(ctx.registry, i.queue)}
        for r, i in pending(session, user=user)
    ]
    flash = {"approved": "Reply approved: it goes to the publisher.",
             "rejected": "Reply rejected."}.get(request.query_params.get("done", ""))  # fmt: skip
    return page(request, "approvals.html", user=user, csrf=csrf, title="Approvals", rows=rows,
                flash=flash, **extra)  # fmt: skip


@router.get("", response_class=HTMLResponse)
def approvals_page(
    request: Request, ctx: ContextDep, session: SessionDep, signed_in: SignedIn
) -> HTMLResponse:
    """Pending replies with their findings."""
    _approver(signed_in[0])
    return _page(request, ctx, session, signed_in)


def _decide(
    request: Request,
    ctx: ApiContext,
    session: Session,
    acting: tuple[WebUser, str],
    *,
    done: str,
    action: Any,
) -> Response:
    _approver(acting[0])
    try:
        action()
    except (actions.ItemNotFoundError, actions.NotAllowedError, actions.ReplyNotFoundError) as err:
        raise NotVisibleError from err
    except ActionConflictError as err:
        session.rollback()
        return _page(request, ctx, session, acting, error=err.message, status_code=409)
    return RedirectResponse(f"/approvals?done={done}", status_code=303)


@router.post("/{item_id}/{reply_id}/approve")
def approve(
    request: Request,
    ctx: ContextDep,
    session: SessionDep,
    acting: Acting,
    item_id: uuid.UUID,
    reply_id: uuid.UUID,
) -> Response:
    """Approve: the reply goes to the publisher (actions.approve_reply)."""
    principal = acting[0].principal
    return _decide(request, ctx, session, acting, done="approved",
                   action=lambda: actions.approve_reply(session, event_id=item_id,
                                                        principal=principal, now=ctx.clock(),
                                                        reply_id=reply_id))  # fmt: skip


@router.post("/{item_id}/{reply_id}/reject")
def reject(
    request: Request,
    ctx: ContextDep,
    session: SessionDep,
    acting: Acting,
    item_id: uuid.UUID,
    reply_id: uuid.UUID,
    reason: Annotated[str, Form(min_length=1, max_length=2000)],
) -> Response:
    """Reject with a reason: the reply is never sent (actions.reject_reply)."""
    principal = acting[0].principal

    def act() -> object:
        return actions.reject_reply(session, event_id=item_id, principal=principal,
                                    now=ctx.clock(), reply_id=reply_id, reason=reason)  # fmt: skip

    return _decide(request, ctx, session, acting, done="rejected", action=act)
