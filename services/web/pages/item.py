"""The item page and its actions: claim, unclaim, resolve, escalate, reassign, reply.

Every action calls the same services/api/actions function as its JSON route, then sends the
browser back to the item (post/redirect/get), so a reload never repeats an action.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from schemas.guidance import GuidanceReport, Severity
from services.api import actions, store
from services.api.context import ApiContext
from services.api.deps import ContextDep, SessionDep
from services.api.domain.workflow import ActionConflictError
from services.api.models import Item
from services.api.sla_view import sla_targets
from services.web import queries, views
from services.web.context import WebContext
from services.web.deps import Acting, SignedIn, WebDep
from services.web.pages.work import NotVisibleError
from services.web.render import page, segments
from services.web.users import WebUser

router = APIRouter(prefix="/items", include_in_schema=False)
Note = Annotated[str, Form(min_length=1, max_length=2000)]
FLASHES = {
    "claimed": "You have claimed this item.",
    "unclaimed": "You have given this item back.",
    "resolved": "Item resolved.",
    "escalated": "Item escalated.",
    "reassigned": "Item moved.",
    "sent": "Reply sent to the publisher.",
    "approval": "Reply sent for approval: an approver for this queue will decide.",
    "retried": "The reply will be sent again.",
}


def _visible(session: Session, user: WebUser, item_id: uuid.UUID) -> Item:
    item = store.item_by_event_id(session, event_id=item_id)
    if item is None or not user.principal.sees_item(queue=item.queue, channel_id=item.channel_id):
        raise NotVisibleError
    return item


REPLY_STATUS = {
    "pending_approval": "waiting for approval",
    "approved": "approved, going to the publisher",
    "rejected": "rejected",
    "queued": "queued for the publisher",
    "sent": "delivered",
    "failed": "failed",
}


def _parent(session: Session, item: Item, user: WebUser) -> Item | None:
    parent_id = item.payload.get("parent_id")
    if not parent_id:
        return None
    parent = queries.parent_item(session, channel_id=item.channel_id, parent_id=str(parent_id))
    if parent is None or not user.principal.sees_item(
        queue=parent.queue, channel_id=parent.channel_id
    ):
        return None
    return parent


def check_draft(web: WebContext, item: Item, text: str) -> GuidanceReport | None:
    """The guidance verdict on a draft reply to `item` (None when no checker is configured)."""
    if web.checker is None or not text.strip():
        return None
    return web.checker.check(
        channel_id=item.channel_id, text=text, thread_text=str(item.payload.get("text") or "")
    )


def _item_page(
    request: Request,
    ctx: ApiContext,
    web: WebContext,
    session: Session,
    signed_in: tuple[WebUser, str],
    item: Item,
    **extra: Any,
) -> HTMLResponse:
    user, csrf = signed_in
    assert item.id is not None
    history = store.history(session, item_id=item.id)
    now = ctx.clock()
    web.presence.saw(item=str(item.event_id), who=user.name, now=now)
    report = extra.pop("report", None)
    draft = extra.pop("draft", "")
    flash = FLASHES.get(request.query_params.get("done", ""))
    return page(
        request,
        "item.html",
        user=user,
        csrf=csrf,
        title=f"Item from {item.payload.get('author_handle') or 'unknown'}",
        item=item,
        payload=item.payload,
        created_at=item.payload.get("created_at"),
        parent=_parent(session, item, user),
        queue_name=views.queue_name(ctx.registry, item.queue),
        all_queues=sorted((q, s.name) for q, s in ctx.registry.queues.items()),
        office=views.office(ctx.registry, queue=item.queue, now=now),
        history=history,
        replies=store.replies(session, item_id=item.id),
        reply_status=REPLY_STATUS,
        sla=sla_targets(item, registry=ctx.registry, now=now),
        holder_other=item.claimed_by if item.claimed_by not in (None, user.email) else None,
        others=web.presence.others(item=str(item.event_id), me=user.name, now=now),
        report=report,
        segments=segments(draft, report.findings) if report else [],
        draft=draft,
        no_checker=web.checker is None,
        flash=flash,
        **extra,
    )


@router.get("/{item_id}", response_class=HTMLResponse)
def item_page(
    request: Request,
    ctx: ContextDep,
    web: WebDep,
    session: SessionDep,
    signed_in: SignedIn,
    item_id: uuid.UUID,
) -> HTMLResponse:
    """The item, why it is here, its history, the actions and the reply box."""
    item = _visible(session, signed_in[0], item_id)
    return _item_page(request, ctx, web, session, signed_in, item)


@router.get("/{item_id}/presence", response_class=HTMLResponse)
def presence(
    request: Request,
    ctx: ContextDep,
    web: WebDep,
    session: SessionDep,
    signed_in: SignedIn,
    item_id: uuid.UUID,
) -> HTMLResponse:
    """Who else has the item open or claimed (polled by the item page)."""
    user, csrf = signed_in
    item = _visible(session, user, item_id)
    now = ctx.clock()
    web.presence.saw(item=str(item_id), who=user.name, now=now)
    return page(
        request,
        "_presence.html",
        user=user,
        csrf=csrf,
        holder_other=item.claimed_by if item.claimed_by not in (None, user.email) else None,
        others=web.presence.others(item=str(item_id), me=user.name, now=now),
    )


@router.get("/{item_id}/replies", response_class=HTMLResponse)
def replies(
    request: Request, session: SessionDep, signed_in: SignedIn, item_id: uuid.UUID
) -> HTMLResponse:
    """The item's replies and where each stands (polled while one is still on its way)."""
    user, csrf = signed_in
    item = _visible(session, user, item_id)
    assert item.id is not None
    return page(request, "_replies.html", user=user, csrf=csrf, item=item,
                replies=store.replies(session, item_id=item.id),
                reply_status=REPLY_STATUS)  # fmt: skip


def _act(
    request: Request,
    ctx: ApiContext,
    web: WebContext,
    session: Session,
    acting: tuple[WebUser, str],
    item_id: uuid.UUID,
    *,
    done: str,
    action: Callable[[], object],
) -> Response:
    try:
        action()
    except actions.ItemNotFoundError as err:
        raise NotVisibleError from err
    except ActionConflictError as err:
        session.rollback()
        item = _visible(session, acting[0], item_id)
        return _item_page(request, ctx, web, session, acting, item, error=err.message,
                          status_code=409)  # fmt: skip
    return RedirectResponse(f"/items/{item_id}?done={done}", status_code=303)


@router.post("/{item_id}/claim")
def claim(
    request: Request,
    ctx: ContextDep,
    web: WebDep,
    session: SessionDep,
    acting: Acting,
    item_id: uuid.UUID,
) -> Response:
    """Claim the item (actions.claim, as POST /v1/items/{id}/claim)."""
    principal = acting[0].principal
    return _act(request, ctx, web, session, acting, item_id, done="claimed",
                action=lambda: actions.claim(session, event_id=item_id, principal=principal,
                                             now=ctx.clock()))  # fmt: skip


@router.post("/{item_id}/unclaim")
def unclaim(
    request: Request,
    ctx: ContextDep,
    web: WebDep,
    session: SessionDep,
    acting: Acting,
    item_id: uuid.UUID,
) -> Response:
    """Give the claim back."""
    principal = acting[0].principal
    return _act(request, ctx, web, session, acting, item_id, done="unclaimed",
                action=lambda: actions.unclaim(session, event_id=item_id, principal=principal,
                                               now=ctx.clock()))  # fmt: skip


@router.post("/{item_id}/replies/{reply_id}/retry")
def retry(
    request: Request,
    ctx: ContextDep,
    web: WebDep,
    session: SessionDep,
    acting: Acting,
    item_id: uuid.UUID,
    reply_id: uuid.UUID,
) -> Response:
    """Send a failed reply again (actions.retry_reply, as POST /v1/.../replies/{id}/retry)."""
    principal = acting[0].principal
    return _act(request, ctx, web, session, acting, item_id, done="retried",
                action=lambda: actions.retry_reply(session, event_id=item_id, principal=principal,
                                                   now=ctx.clock(), reply_id=reply_id))  # fmt: skip


@router.post("/{item_id}/resolve")
def resolve(
    request: Request,
    ctx: ContextDep,
    web: WebDep,
    session: SessionDep,
    acting: Acting,
    item_id: uuid.UUID,
) -> Response:
    """Mark the item done."""
    principal = acting[0].principal
    return _act(request, ctx, web, session, acting, item_id, done="resolved",
                action=lambda: actions.resolve(session, event_id=item_id, principal=principal,
                                               now=ctx.clock(), note=None))  # fmt: skip


@router.post("/{item_id}/escalate")
def escalate(
    request: Request,
    ctx: ContextDep,
    web: WebDep,
    session: SessionDep,
    acting: Acting,
    item_id: uuid.UUID,
    note: Note,
) -> Response:
    """Flag the item to be taken offline, with a note."""
    principal = acting[0].principal
    return _act(request, ctx, web, session, acting, item_id, done="escalated",
                action=lambda: actions.escalate(session, event_id=item_id, principal=principal,
                                                now=ctx.clock(), note=note))  # fmt: skip


@router.post("/{item_id}/reassign")
def reassign(
    request: Request,
    ctx: ContextDep,
    web: WebDep,
    session: SessionDep,
    acting: Acting,
    item_id: uuid.UUID,
    queue: Annotated[str, Form(max_length=200)],
    reason: Note,
) -> Response:
    """Move the item to another queue, with a reason."""
    principal = acting[0].principal
    if queue not in ctx.registry.queues:
        item = _visible(session, acting[0], item_id)
        return _item_page(request, ctx, web, session, acting, item,
                          error=f"Unknown queue {queue!r}.", status_code=422)  # fmt: skip
    return _act(request, ctx, web, session, acting, item_id, done="reassigned",
                action=lambda: actions.reassign(session, event_id=item_id, principal=principal,
                                                now=ctx.clock(), queue=queue,
                                                reason=reason))  # fmt: skip


@router.post("/{item_id}/check", response_class=HTMLResponse)
def check(
    request: Request,
    web: WebDep,
    session: SessionDep,
    acting: Acting,
    item_id: uuid.UUID,
    text: Annotated[str, Form(max_length=5000)] = "",
) -> HTMLResponse:
    """The guidance findings on a draft, as the reply box shows them while typing."""
    user, csrf = acting
    item = _visible(session, user, item_id)
    report = check_draft(web, item, text)
    return page(request, "_guidance.html", user=user, csrf=csrf, report=report,
                segments=segments(text, report.findings) if report else [],
                no_checker=web.checker is None)  # fmt: skip


def _refusal(err: actions.GuidanceRefusedError) -> str:
    if err.report.verdict is Severity.BLOCK:
        return "This reply cannot be sent as written: fix the findings marked block."
    return "Confirm that you have read the warnings before sending."


@router.post("/{item_id}/reply")
def reply(
    request: Request,
    ctx: ContextDep,
    web: WebDep,
    session: SessionDep,
    acting: Acting,
    item_id: uuid.UUID,
    text: Annotated[str, Form(min_length=1, max_length=5000)],
    acknowledge: Annotated[str | None, Form(max_length=10)] = None,
) -> Response:
    """Send the reply through actions.reply, as POST /v1/items/{id}/reply does.

    The guidance decides there: block refuses, warn needs the box ticked (which acknowledges
    every warned check), approval holds the reply for an approver of the queue.
    """
    user = acting[0]
    checker = ctx.checker
    if checker is None:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "reply guidance is not set up")
    report = None
    warned: list[str] = []
    if acknowledge == "yes":
        item = _visible(session, user, item_id)
        report = check_draft(web, item, text)
        warned = sorted({f.check for f in report.findings}) if report else []
        session.rollback()  # actions.reply begins its own transaction
    try:
        done = actions.reply(
            session,
            event_id=item_id,
            principal=user.principal,
            now=ctx.clock(),
            text=text,
            channel_known=lambda c: ctx.registry.get(c) is not None,
            checker=checker,
            acknowledge=warned,
        )
    except actions.ItemNotFoundError as err:
        raise NotVisibleError from err
    except (ActionConflictError, actions.GuidanceRefusedError) as err:
        session.rollback()
        item = _visible(session, user, item_id)
        if isinstance(err, actions.GuidanceRefusedError):
            message, report = _refusal(err), err.report
        else:
            message = err.message
        return _item_page(request, ctx, web, session, acting, item, error=message,
                          report=report, draft=text, status_code=422)  # fmt: skip
    done_key = "approval" if done.status == "pending_approval" else "sent"
    return RedirectResponse(f"/items/{item_id}?done={done_key}", status_code=303)
