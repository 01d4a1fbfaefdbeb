"""GET /v1/items/{id} and the actions on an item."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Body, Header, HTTPException, Path, status
from fastapi.exceptions import RequestValidationError
from sqlmodel import Session

from services.api import actions, store
from services.api.auth import Principal
from services.api.deps import ContextDep, PrincipalDep, SessionDep
from services.api.domain.workflow import ActionConflictError
from services.api.models import Item
from services.api.public import (
    EscalateIn,
    ItemDetailOut,
    NoteIn,
    ReassignIn,
    ReplyIn,
    ReplyOut,
)
from services.api.publisher import PublishError
from services.api.routes.common import (
    R400,
    R401,
    R403,
    R404,
    R409,
    R413,
    R503,
    detail_out,
    not_visible,
)

router = APIRouter(prefix="/v1/items", tags=["items"])

ItemId = Annotated[uuid.UUID, Path(description="The inbox item's event id (a UUID).")]
ACTION_RESPONSES = {**R401, **R403, **R404, **R409}
BODY_RESPONSES = {**ACTION_RESPONSES, **R400, **R413}


class ConflictHTTPError(HTTPException):
    """409 carrying who holds the item; rendered as {detail, holder} by the app."""

    def __init__(self, err: ActionConflictError) -> None:
        super().__init__(status.HTTP_409_CONFLICT, err.message)
        self.holder = err.holder


def _detail(session: Session, item: Item) -> ItemDetailOut:
    assert item.id is not None
    return detail_out(item, store.history(session, item_id=item.id))


def _act(session: Session, principal: Principal, action: Callable[[], Item]) -> ItemDetailOut:
    try:
        item = action()
    except actions.ItemNotFoundError as err:
        raise not_visible(principal, "item") from err
    except ActionConflictError as err:
        raise ConflictHTTPError(err) from err
    return _detail(session, item)


@router.get("/{item_id}", response_model=ItemDetailOut, responses={**R401, **R403, **R404})
def get_item(session: SessionDep, principal: PrincipalDep, item_id: ItemId) -> ItemDetailOut:
    """The item, why it was routed where it is, and its full history."""
    item = store.item_by_event_id(session, event_id=item_id)
    if item is None or not principal.sees_item(queue=item.queue, channel_id=item.channel_id):
        raise not_visible(principal, "item")
    return _detail(session, item)


@router.post("/{item_id}/claim", response_model=ItemDetailOut, responses=ACTION_RESPONSES)
def claim(
    ctx: ContextDep, session: SessionDep, principal: PrincipalDep, item_id: ItemId
) -> ItemDetailOut:
    """Claim the item. Someone else's claim: 409 naming the holder. Your own: no change."""
    return _act(
        session,
        principal,
        lambda: actions.claim(session, event_id=item_id, principal=principal, now=ctx.clock()),
    )


@router.post("/{item_id}/unclaim", response_model=ItemDetailOut, responses=ACTION_RESPONSES)
def unclaim(
    ctx: ContextDep, session: SessionDep, principal: PrincipalDep, item_id: ItemId
) -> ItemDetailOut:
    """Give the claim back. Only the holder (or an admin) may; unclaimed: no change."""
    return _act(
        session,
        principal,
        lambda: actions.unclaim(session, event_id=item_id, principal=principal, now=ctx.clock()),
    )


@router.post(
    "/{item_id}/reply",
    response_model=ReplyOut,
    responses={**BODY_RESPONSES, **R503},
)
def reply(
    ctx: ContextDep,
    session: SessionDep,
    principal: PrincipalDep,
    item_id: ItemId,
    body: ReplyIn,
    idempotency_key: Annotated[
        str | None,
        Header(
            min_length=1,
            max_length=200,
            description="Optional: a retry with the same key and body returns the first reply "
            "(nothing published again); the same key with another body is 409.",
        ),
    ] = None,
) -> ReplyOut:
    """Record a reply and publish it on outbox.replies.v1 (acknowledged before this returns)."""
    try:
        done = actions.reply(
            session,
            event_id=item_id,
            principal=principal,
            now=ctx.clock(),
            text=body.text,
            channel_known=lambda c: ctx.registry.get(c) is not None,
            publisher=ctx.publisher,
            idempotency_key=idempotency_key,
        )
    except actions.ItemNotFoundError as err:
        raise not_visible(principal, "item") from err
    except ActionConflictError as err:
        raise ConflictHTTPError(err) from err
    except actions.IdempotencyConflictError as err:
        raise HTTPException(status.HTTP_409_CONFLICT, str(err)) from err
    except PublishError as err:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, str(err)) from err
    return ReplyOut(
        reply_id=done.reply_id, event_id=done.event_id, item=_detail(session, done.item)
    )


@router.post("/{item_id}/resolve", response_model=ItemDetailOut, responses=BODY_RESPONSES)
def resolve(
    ctx: ContextDep,
    session: SessionDep,
    principal: PrincipalDep,
    item_id: ItemId,
    body: Annotated[NoteIn | None, Body()] = None,
) -> ItemDetailOut:
    """Mark the item done, with an optional note. Already resolved: no change."""
    note = body.note if body else None
    return _act(
        session,
        principal,
        lambda: actions.resolve(
            session, event_id=item_id, principal=principal, now=ctx.clock(), note=note
        ),
    )


@router.post("/{item_id}/reassign", response_model=ItemDetailOut, responses=BODY_RESPONSES)
def reassign(
    ctx: ContextDep,
    session: SessionDep,
    principal: PrincipalDep,
    item_id: ItemId,
    body: ReassignIn,
) -> ItemDetailOut:
    """Move the item to another queue, with a reason; any claim is dropped."""
    if body.queue not in ctx.registry.queues:
        raise RequestValidationError(
            [
                {
                    "loc": ("body", "queue"),
                    "msg": f"unknown queue {body.queue!r}",
                    "type": "value_error",
                }
            ]
        )
    return _act(
        session,
        principal,
        lambda: actions.reassign(
            session,
            event_id=item_id,
            principal=principal,
            now=ctx.clock(),
            queue=body.queue,
            reason=body.reason,
        ),
    )


@router.post("/{item_id}/escalate", response_model=ItemDetailOut, responses=BODY_RESPONSES)
def escalate(
    ctx: ContextDep,
    session: SessionDep,
    principal: PrincipalDep,
    item_id: ItemId,
    body: EscalateIn,
) -> ItemDetailOut:
    """Flag the item to take the conversation offline, with a note."""
    return _act(
        session,
        principal,
        lambda: actions.escalate(
            session, event_id=item_id, principal=principal, now=ctx.clock(), note=body.note
        ),
    )
