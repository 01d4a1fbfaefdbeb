"""GET /v1/items/{id} and the actions on an item.

Every action accepts an optional `Idempotency-Key`: a retry with the same key is the same
command (same event ids), so it changes nothing the second time.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, HTTPException, Path, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlmodel import Session

from services.api import actions, store
from services.api.auth import Principal
from services.api.deps import ContextDep, PrincipalDep, SessionDep
from services.api.domain.workflow import ActionConflictError
from services.api.models import Item
from services.api.public import (
    AssignIn,
    EscalateIn,
    GuidanceRefusedOut,
    ItemDetailOut,
    ModerateIn,
    NoteIn,
    ReasonIn,
    ReassignIn,
    ReopenIn,
    ReplyIn,
    ReplyOut,
    RequiredNoteIn,
    TagsIn,
)
from services.api.routes.responses import (
    R400,
    R401,
    R403,
    R404,
    R409,
    R413,
    R422G,
    detail_out,
    not_visible,
)
from services.api.sla_view import sla_targets

router = APIRouter(prefix="/v1/items", tags=["items"])

ItemId = Annotated[uuid.UUID, Path(description="The inbox item's event id (a UUID).")]
ReplyId = Annotated[uuid.UUID, Path(description="The reply's id.")]
IdempotencyKey = Annotated[
    str | None,
    Header(
        min_length=1,
        max_length=200,
        description="Optional: a retry with the same key is the same command and changes "
        "nothing again (for a reply: the same key with another body is 409).",
    ),
]
ACTION_RESPONSES = {**R401, **R403, **R404, **R409}
BODY_RESPONSES = {**ACTION_RESPONSES, **R400, **R413}


class ConflictHTTPError(HTTPException):
    """409 carrying who holds the item; rendered as {detail, holder} by the app."""

    def __init__(self, err: ActionConflictError) -> None:
        super().__init__(status.HTTP_409_CONFLICT, err.message)
        self.holder = err.holder


class GuidanceHTTPError(HTTPException):
    """422 carrying the guidance findings; rendered by the app as GuidanceRefusedOut."""

    def __init__(self, err: actions.GuidanceRefusedError) -> None:
        super().__init__(422, str(err))
        self.body = GuidanceRefusedOut(
            detail=str(err),
            verdict=err.report.verdict.value,
            findings=[f.model_dump(mode="json") for f in err.report.findings],
            unacknowledged=err.unacknowledged,
        )

    def response(self) -> JSONResponse:
        """The 422 answer."""
        return JSONResponse(self.body.model_dump(mode="json"), status_code=self.status_code)


def _detail(session: Session, item: Item) -> ItemDetailOut:
    assert item.id is not None
    return detail_out(
        item,
        store.history(session, item_id=item.id),
        store.replies(session, item_id=item.id),
        store.linked(session, item=item),
    )


def _guarded(principal: Principal, action: Callable[[], Any]) -> Any:
    try:
        return action()
    except actions.ItemNotFoundError as err:
        raise not_visible(principal, "item") from err
    except actions.ReplyNotFoundError as err:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such reply on this item") from err
    except actions.NotAllowedError as err:
        raise HTTPException(status.HTTP_403_FORBIDDEN, str(err)) from err
    except ActionConflictError as err:
        raise ConflictHTTPError(err) from err
    except actions.IdempotencyConflictError as err:
        raise HTTPException(status.HTTP_409_CONFLICT, str(err)) from err
    except actions.GuidanceRefusedError as err:
        raise GuidanceHTTPError(err) from err


def _act(session: Session, principal: Principal, action: Callable[[], Item]) -> ItemDetailOut:
    session.expire_on_commit = False
    return _detail(session, _guarded(principal, action))


def _cmd(principal: Principal, key: str | None) -> uuid.UUID:
    return actions.command_id_for(principal, key)


@router.get("/{item_id}", response_model=ItemDetailOut, responses={**R401, **R403, **R404})
def get_item(
    ctx: ContextDep, session: SessionDep, principal: PrincipalDep, item_id: ItemId
) -> ItemDetailOut:
    """The item, why it was routed where it is, its replies, its full history and its SLA."""
    item = store.item_by_event_id(session, event_id=item_id)
    if item is None or not principal.sees_item(queue=item.queue, channel_id=item.channel_id):
        raise not_visible(principal, "item")
    targets = sla_targets(item, registry=ctx.registry, now=ctx.clock())
    return _detail(session, item).model_copy(update={"sla_targets": targets})


@router.post("/{item_id}/claim", response_model=ItemDetailOut, responses=ACTION_RESPONSES)
def claim(
    ctx: ContextDep,
    session: SessionDep,
    principal: PrincipalDep,
    item_id: ItemId,
    idempotency_key: IdempotencyKey = None,
) -> ItemDetailOut:
    """Claim the item. Someone else's claim: 409 naming the holder. Your own: no change."""
    return _act(
        session,
        principal,
        lambda: actions.claim(
            session, event_id=item_id, principal=principal, now=ctx.clock(),
            command_id=_cmd(principal, idempotency_key),
        ),
    )  # fmt: skip


@router.post("/{item_id}/unclaim", response_model=ItemDetailOut, responses=ACTION_RESPONSES)
def unclaim(
    ctx: ContextDep,
    session: SessionDep,
    principal: PrincipalDep,
    item_id: ItemId,
    idempotency_key: IdempotencyKey = None,
) -> ItemDetailOut:
    """Give the claim back. Only the holder (or an admin) may; unclaimed: no change."""
    return _act(
        session,
        principal,
        lambda: actions.unclaim(
            session, event_id=item_id, principal=principal, now=ctx.clock(),
            command_id=_cmd(principal, idempotency_key),
        ),
    )  # fmt: skip


@router.post(
    "/{item_id}/reply",
    response_model=ReplyOut,
    responses={**BODY_RESPONSES, **R422G},
)
def reply(
    ctx: ContextDep,
    session: SessionDep,
    principal: PrincipalDep,
    item_id: ItemId,
    body: ReplyIn,
    idempotency_key: IdempotencyKey = None,
) -> ReplyOut:
    """Check the reply against the guidance, record it, and queue it for publishing.

    Verdict `block`: 422 with the findings, nothing stored. `warn`: 422 unless `acknowledge`
    names every warned check (the acknowledgement is recorded). `approval`: stored as
    `pending_approval` until an approver for the queue approves it. Otherwise the Reply goes
    to outbox.replies.v1 through the outbox (the relay sends it after commit).
    """
    checker = ctx.checker
    if checker is None:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "reply guidance is not set up")
    session.expire_on_commit = False
    done: actions.ReplyResult = _guarded(
        principal,
        lambda: actions.reply(
            session,
            event_id=item_id,
            principal=principal,
            now=ctx.clock(),
            text=body.text,
            channel_known=lambda c: ctx.registry.get(c) is not None,
            checker=checker,
            acknowledge=body.acknowledge,
            idempotency_key=idempotency_key,
        ),
    )
    return ReplyOut(
        reply_id=done.reply_id,
        event_id=done.event_id,
        status=done.status,
        verdict=done.report.verdict.value,
        findings=[f.model_dump(mode="json") for f in done.report.findings],
        item=_detail(session, done.item),
    )


@router.post(
    "/{item_id}/replies/{reply_id}/approve",
    response_model=ItemDetailOut,
    responses=BODY_RESPONSES,
)
def approve_reply(
    ctx: ContextDep,
    session: SessionDep,
    principal: PrincipalDep,
    item_id: ItemId,
    reply_id: ReplyId,
    body: Annotated[NoteIn | None, Body()] = None,
    idempotency_key: IdempotencyKey = None,
) -> ItemDetailOut:
    """Approve a reply pending approval (approvers of the item's queue, or admins): it is sent."""
    return _act(
        session,
        principal,
        lambda: actions.approve_reply(
            session, event_id=item_id, principal=principal, now=ctx.clock(), reply_id=reply_id,
            note=body.note if body else None, command_id=_cmd(principal, idempotency_key),
        ),
    )  # fmt: skip


@router.post(
    "/{item_id}/replies/{reply_id}/reject",
    response_model=ItemDetailOut,
    responses=BODY_RESPONSES,
)
def reject_reply(
    ctx: ContextDep,
    session: SessionDep,
    principal: PrincipalDep,
    item_id: ItemId,
    reply_id: ReplyId,
    body: ReasonIn,
    idempotency_key: IdempotencyKey = None,
) -> ItemDetailOut:
    """Reject a reply pending approval, with a reason; it is never sent."""
    return _act(
        session,
        principal,
        lambda: actions.reject_reply(
            session, event_id=item_id, principal=principal, now=ctx.clock(), reply_id=reply_id,
            reason=body.reason, command_id=_cmd(principal, idempotency_key),
        ),
    )  # fmt: skip


@router.post(
    "/{item_id}/replies/{reply_id}/retry",
    response_model=ItemDetailOut,
    responses=ACTION_RESPONSES,
)
def retry_reply(
    ctx: ContextDep,
    session: SessionDep,
    principal: PrincipalDep,
    item_id: ItemId,
    reply_id: ReplyId,
    idempotency_key: IdempotencyKey = None,
) -> ItemDetailOut:
    """Send a failed (retryable) reply again: a ReplyRetried event the publisher acts on."""
    return _act(
        session,
        principal,
        lambda: actions.retry_reply(
            session, event_id=item_id, principal=principal, now=ctx.clock(), reply_id=reply_id,
            command_id=_cmd(principal, idempotency_key),
        ),
    )  # fmt: skip


@router.post("/{item_id}/resolve", response_model=ItemDetailOut, responses=BODY_RESPONSES)
def resolve(
    ctx: ContextDep,
    session: SessionDep,
    principal: PrincipalDep,
    item_id: ItemId,
    body: Annotated[NoteIn | None, Body()] = None,
    idempotency_key: IdempotencyKey = None,
) -> ItemDetailOut:
    """Mark the item done, with an optional note. Already resolved: no change."""
    note = body.note if body else None
    return _act(
        session,
        principal,
        lambda: actions.resolve(
            session, event_id=item_id, principal=principal, now=ctx.clock(), note=note,
            command_id=_cmd(principal, idempotency_key),
        ),
    )  # fmt: skip


@router.post("/{item_id}/reopen", response_model=ItemDetailOut, responses=BODY_RESPONSES)
def reopen(
    ctx: ContextDep,
    session: SessionDep,
    principal: PrincipalDep,
    item_id: ItemId,
    body: Annotated[ReopenIn | None, Body()] = None,
    idempotency_key: IdempotencyKey = None,
) -> ItemDetailOut:
    """Open a resolved item again (409 if it is not resolved)."""
    return _act(
        session,
        principal,
        lambda: actions.reopen(
            session, event_id=item_id, principal=principal, now=ctx.clock(),
            reason=body.reason if body else None, command_id=_cmd(principal, idempotency_key),
        ),
    )  # fmt: skip


def _known_queue(ctx: ContextDep, queue: str) -> None:
    if queue not in ctx.registry.queues:
        raise RequestValidationError(
            [{"loc": ("body", "queue"), "msg": f"unknown queue {queue!r}", "type": "value_error"}]
        )


@router.post("/{item_id}/reassign", response_model=ItemDetailOut, responses=BODY_RESPONSES)
def reassign(
    ctx: ContextDep,
    session: SessionDep,
    principal: PrincipalDep,
    item_id: ItemId,
    body: ReassignIn,
    idempotency_key: IdempotencyKey = None,
) -> ItemDetailOut:
    """Move the item to another queue, with a reason; any claim is dropped."""
    _known_queue(ctx, body.queue)
    return _act(
        session,
        principal,
        lambda: actions.reassign(
            session, event_id=item_id, principal=principal, now=ctx.clock(), queue=body.queue,
            reason=body.reason, command_id=_cmd(principal, idempotency_key),
        ),
    )  # fmt: skip


@router.post("/{item_id}/escalate", response_model=ItemDetailOut, responses=BODY_RESPONSES)
def escalate(
    ctx: ContextDep,
    session: SessionDep,
    principal: PrincipalDep,
    item_id: ItemId,
    body: EscalateIn,
    idempotency_key: IdempotencyKey = None,
) -> ItemDetailOut:
    """Flag the item to take the conversation offline, with a note."""
    return _act(
        session,
        principal,
        lambda: actions.escalate(
            session, event_id=item_id, principal=principal, now=ctx.clock(), note=body.note,
            command_id=_cmd(principal, idempotency_key),
        ),
    )  # fmt: skip


@router.post("/{item_id}/notes", response_model=ItemDetailOut, responses=BODY_RESPONSES)
def add_note(
    ctx: ContextDep,
    session: SessionDep,
    principal: PrincipalDep,
    item_id: ItemId,
    body: RequiredNoteIn,
    idempotency_key: IdempotencyKey = None,
) -> ItemDetailOut:
    """Add an internal note (never published)."""
    return _act(
        session,
        principal,
        lambda: actions.add_note(
            session, event_id=item_id, principal=principal, now=ctx.clock(), note=body.note,
            command_id=_cmd(principal, idempotency_key),
        ),
    )  # fmt: skip


@router.post("/{item_id}/assign", response_model=ItemDetailOut, responses=BODY_RESPONSES)
def assign(
    ctx: ContextDep,
    session: SessionDep,
    principal: PrincipalDep,
    item_id: ItemId,
    body: AssignIn,
    idempotency_key: IdempotencyKey = None,
) -> ItemDetailOut:
    """Assign the item to a person (null clears it)."""
    return _act(
        session,
        principal,
        lambda: actions.assign(
            session, event_id=item_id, principal=principal, now=ctx.clock(),
            assignee=body.assignee, command_id=_cmd(principal, idempotency_key),
        ),
    )  # fmt: skip


@router.post("/{item_id}/tags", response_model=ItemDetailOut, responses=BODY_RESPONSES)
def tags(
    ctx: ContextDep,
    session: SessionDep,
    principal: PrincipalDep,
    item_id: ItemId,
    body: TagsIn,
    idempotency_key: IdempotencyKey = None,
) -> ItemDetailOut:
    """Add and remove tags."""
    return _act(
        session,
        principal,
        lambda: actions.tag(
            session, event_id=item_id, principal=principal, now=ctx.clock(), added=body.add,
            removed=body.remove, command_id=_cmd(principal, idempotency_key),
        ),
    )  # fmt: skip


@router.post("/{item_id}/moderate", response_model=ItemDetailOut, responses=BODY_RESPONSES)
def moderate(
    ctx: ContextDep,
    session: SessionDep,
    principal: PrincipalDep,
    item_id: ItemId,
    body: ModerateIn,
    idempotency_key: IdempotencyKey = None,
) -> ItemDetailOut:
    """Ask for the comment to be hidden, unhidden or deleted on the platform.

    The publisher acts on the ModerationRequested event. The item's queue or an admin only.
    """
    return _act(
        session,
        principal,
        lambda: actions.request_moderation(
            session, event_id=item_id, principal=principal, now=ctx.clock(),
            operation=body.operation, reason=body.reason,
            command_id=_cmd(principal, idempotency_key),
        ),
    )  # fmt: skip
