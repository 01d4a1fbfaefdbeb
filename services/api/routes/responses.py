"""Shared pieces of the route modules: documented error responses and row-to-body mapping."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import HTTPException, Response, status
from pydantic import BaseModel
from sqlalchemy import Row

from services.api.auth import Principal
from services.api.domain.workflow import WorkStatus
from services.api.models import Item, ItemEvent, ReplyRow
from services.api.public import (
    ConflictOut,
    ErrorOut,
    GuidanceRefusedOut,
    HistoryOut,
    ItemDetailOut,
    ItemOut,
    LinkedOut,
    ReplyStateOut,
)

OUT_OF_SCOPE = "not found in your scope"

R401: dict[int | str, dict[str, Any]] = {401: {"model": ErrorOut, "description": "No valid token."}}
R403: dict[int | str, dict[str, Any]] = {
    403: {
        "model": ErrorOut,
        "description": "Outside the caller's scope, or does not exist (non-admins cannot tell).",
    }
}
R404: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "Does not exist (admins only; others get 403)."}
}
R409: dict[int | str, dict[str, Any]] = {
    409: {"model": ConflictOut, "description": "Does not fit the item's state."}
}
R400: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "The body could not be parsed (e.g. not UTF-8)."}
}
R400C: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "A cursor the API did not issue; the detail names it."}
}
R413: dict[int | str, dict[str, Any]] = {
    413: {"model": ErrorOut, "description": "Request body too large."}
}
R503: dict[int | str, dict[str, Any]] = {
    503: {"model": ErrorOut, "description": "Kafka did not acknowledge the event."}
}


R422G: dict[int | str, dict[str, Any]] = {
    422: {
        "model": GuidanceRefusedOut,
        "description": "Refused by the guidance (block, or unacknowledged warnings), or an "
        "invalid body.",
    }
}


def bad_cursor(parameter: str, err: Exception) -> HTTPException:
    """400 naming the query parameter whose cursor this API never issued."""
    return HTTPException(status.HTTP_400_BAD_REQUEST, f"{parameter}: {err}")


def not_visible(principal: Principal, what: str) -> HTTPException:
    """403 for non-admins whether or not it exists (no leak); 404 for admins."""
    if principal.is_admin:
        return HTTPException(status.HTTP_404_NOT_FOUND, f"no such {what}")
    return HTTPException(status.HTTP_403_FORBIDDEN, f"{what} {OUT_OF_SCOPE}")


def item_out(item: Item) -> ItemOut:
    """The list view of an item."""
    payload = item.payload
    return _out(
        item,
        text=str(payload.get("text", "")),
        author_handle=payload.get("author_handle"),
        permalink=payload.get("permalink"),
        created_at=payload["created_at"],
    )


def listed_out(row: Row[Any]) -> ItemOut:
    """The list view of a row of store.LIST_COLUMNS (no payload loaded)."""
    return _out(
        row,
        text=row.text or "",
        author_handle=row.author_handle,
        permalink=row.permalink,
        created_at=row.created_at,
    )


def _out(source: Any, *, text: str, author_handle: Any, permalink: Any, created_at: Any) -> ItemOut:
    # An Item or a LIST_COLUMNS row: both carry the item's own columns under the same names.
    return ItemOut(
        id=source.event_id,
        queue=source.queue,
        channel_id=source.channel_id,
        platform=source.platform,
        status=WorkStatus(source.status),
        routing_status=source.routing_status,
        text=text,
        author_handle=author_handle,
        permalink=permalink,
        created_at=created_at,
        available_at=source.available_at,
        hold_until=source.hold_until,
        claimed_by=source.claimed_by,
        escalated=source.escalated,
    )


def json_response(model: BaseModel, *, headers: dict[str, str] | None = None) -> Response:
    """Serialise a response model once (FastAPI would dump, re-validate, then serialise it)."""
    return Response(model.model_dump_json(), media_type="application/json", headers=headers)


def detail_out(
    item: Item,
    events: list[ItemEvent],
    replies: Sequence[ReplyRow] = (),
    linked: Sequence[Item] = (),
) -> ItemDetailOut:
    """The full view of an item, with its history and replies."""
    return ItemDetailOut(
        **item_out(item).model_dump(),
        rule=item.rule,
        reason=item.reason,
        campaigns=item.campaigns,
        escalation_note=item.escalation_note,
        resolved_at=item.resolved_at,
        resolved_by=item.resolved_by,
        assignee=item.assignee,
        tags=item.tags,
        moderation=item.moderation,
        sla=item.sla,
        replies=[ReplyStateOut.model_validate(r, from_attributes=True) for r in replies],
        linked=[
            LinkedOut(id=o.event_id, channel_id=o.channel_id, queue=o.queue, status=o.status)
            for o in linked
        ],
        item=item.payload,
        history=[
            HistoryOut(
                kind=e.kind, actor=e.actor, actor_kind=e.actor_kind, at=e.at, detail=e.detail
            )
            for e in events
        ],
    )
