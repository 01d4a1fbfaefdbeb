"""Shared pieces of the route modules: documented error responses and row-to-body mapping."""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException, Response, status
from pydantic import BaseModel
from sqlalchemy import Row

from services.api.auth import Principal
from services.api.domain.workflow import WorkStatus
from services.api.models import Item, ItemEvent
from services.api.public import ConflictOut, ErrorOut, HistoryOut, ItemDetailOut, ItemOut

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
R413: dict[int | str, dict[str, Any]] = {
    413: {"model": ErrorOut, "description": "Request body too large."}
}
R503: dict[int | str, dict[str, Any]] = {
    503: {"model": ErrorOut, "description": "Kafka did not acknowledge the event."}
}


def not_visible(principal: Principal, what: str) -> HTTPException:
    """403 for non-admins whether or not it exists (no leak); 404 for admins."""
    if principal.is_admin:
        return HTTPException(status.HTTP_404_NOT_FOUND, f"no such {what}")
    return HTTPException(status.HTTP_403_FORBIDDEN, f"{what} {OUT_OF_SCOPE}")


def item_out(item: Item) -> ItemOut:
    """The list view of an item."""
    payload = item.payload
    return ItemOut(
        id=item.event_id,
        queue=item.queue,
        channel_id=item.channel_id,
        platform=item.platform,
        status=WorkStatus(item.status),
        routing_status=item.routing_status,
        text=str(payload.get("text", "")),
        author_handle=payload.get("author_handle"),
        permalink=payload.get("permalink"),
        created_at=payload["created_at"],
        available_at=item.available_at,
        hold_until=item.hold_until,
        claimed_by=item.claimed_by,
        escalated=item.escalated,
    )


def listed_out(row: Row[Any]) -> ItemOut:
    """The list view of a row of store.LIST_COLUMNS (no payload loaded)."""
    return ItemOut(
        id=row.event_id,
        queue=row.queue,
        channel_id=row.channel_id,
        platform=row.platform,
        status=WorkStatus(row.status),
        routing_status=row.routing_status,
        text=row.text or "",
        author_handle=row.author_handle,
        permalink=row.permalink,
        created_at=row.created_at,
        available_at=row.available_at,
        hold_until=row.hold_until,
        claimed_by=row.claimed_by,
        escalated=row.escalated,
    )


def json_response(model: BaseModel, *, headers: dict[str, str] | None = None) -> Response:
    """Serialise a response model once (FastAPI would dump, re-validate, then serialise it)."""
    return Response(model.model_dump_json(), media_type="application/json", headers=headers)


def detail_out(item: Item, events: list[ItemEvent]) -> ItemDetailOut:
    """The full view of an item, with its history."""
    return ItemDetailOut(
        **item_out(item).model_dump(),
        rule=item.rule,
        reason=item.reason,
        campaigns=item.campaigns,
        escalation_note=item.escalation_note,
        resolved_at=item.resolved_at,
        resolved_by=item.resolved_by,
        item=item.payload,
        history=[HistoryOut(kind=e.kind, actor=e.actor, at=e.at, detail=e.detail) for e in events],
    )
