"""POST /v1/replies/check: the guidance verdict on a draft, cheap enough for every keystroke."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Response, status
from fastapi.exceptions import RequestValidationError

from schemas.guidance import GuidanceReport
from services.api import store
from services.api.deps import ContextDep, PrincipalDep, SessionDep
from services.api.public import ReplyCheckIn
from services.api.routes.responses import R400, R401, R403, R404, R413, json_response, not_visible
from services.guidance.checker import UnknownChannelError

router = APIRouter(prefix="/v1/replies", tags=["replies"])


@router.post(
    "/check",
    response_model=GuidanceReport,
    responses={
        **R400,
        **R401,
        **R403,
        **R404,
        **R413,
        503: {"description": "Reply guidance is not configured in this API process."},
    },
)
def check_reply(
    ctx: ContextDep, session: SessionDep, principal: PrincipalDep, body: ReplyCheckIn
) -> Response:
    """The verdict (ok, info, warn, approval, block) and every finding with its span.

    Any caller who may reply on the channel may check: its channels (a lead's own, a team's
    queues' channels), or, with `item_id`, the channel of an item in its scope.
    """
    checker = ctx.checker
    if checker is None:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "reply guidance is not set up")
    thread_text = None
    if body.item_id is not None:
        item = store.item_by_event_id(session, event_id=body.item_id)
        if item is None or not principal.sees_item(queue=item.queue, channel_id=item.channel_id):
            raise not_visible(principal, "item")
        if item.channel_id != body.channel:
            msg = f"item {body.item_id} is on channel {item.channel_id!r}, not {body.channel!r}"
            raise RequestValidationError(
                [{"loc": ("body", "channel"), "msg": msg, "type": "value_error"}]
            )
        thread_text = str(item.payload.get("text", ""))
    elif not principal.sees_channel(body.channel):
        raise not_visible(principal, "channel")
    try:
        report = checker.check(channel_id=body.channel, text=body.text, thread_text=thread_text)
    except UnknownChannelError as err:
        raise not_visible(principal, "channel") from err
    return json_response(report)
