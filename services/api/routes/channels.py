"""The polling interface of local and programme leads: channels and their change feeds."""

from __future__ import annotations

import hashlib
from typing import Annotated

from fastapi import APIRouter, Header, Path, Query, Response, status
from pydantic import BaseModel, Field

from services.api import store
from services.api.cursors import CursorError, change_cursor, read_change_cursor
from services.api.deps import ContextDep, PrincipalDep, SessionDep
from services.api.public import ChangesOut, ChannelOut
from services.api.routes.responses import (
    R400C,
    R401,
    R403,
    R404,
    bad_cursor,
    json_response,
    listed_out,
    not_visible,
)
from services.common.settings import PathSettings
from services.ingest.health import read_health

router = APIRouter(prefix="/v1/channels", tags=["channels"])


class IngestHealthOut(BaseModel):
    """How ingestion of the channel is going, as the ingest processes last reported it."""

    last_success_at: str | None = Field(None, description="Last successful poll or webhook.")
    last_success_via: str | None = Field(None, description="`poll` or `webhook`.")
    consecutive_failures: int = Field(0, description="Poll rounds failed in a row.")
    rate_limited: bool = Field(False, description="The platform says the account is limited.")
    rate_limit_reset_at: str | None = Field(None, description="When the limit resets.")
    token_expired: bool = Field(False, description="The platform refused the access token.")
    token_expires_at: str | None = Field(None, description="Token expiry, where reported.")


class ChannelHealthOut(ChannelOut):
    """A channel, with its ingestion health once ingest has reported any."""

    ingest: IngestHealthOut | None = Field(
        None, description="Absent until an ingest process has reported on the channel."
    )


class ChannelHealthListOut(BaseModel):
    """The caller's channels with their ingestion health."""

    channels: list[ChannelHealthOut]


def _ingest_health() -> dict[str, IngestHealthOut]:
    # Ingest processes write small JSON files (services/ingest/health.py): no broker client.
    folder = PathSettings().data_dir / "ingest" / "health"
    return {k: IngestHealthOut.model_validate(v) for k, v in read_health(folder).items()}


@router.get(
    "", response_model=ChannelHealthListOut, response_model_exclude_none=True, responses={**R401}
)
def list_channels(ctx: ContextDep, principal: PrincipalDep) -> ChannelHealthListOut:
    """The channels the caller may poll."""
    health = _ingest_health()
    return ChannelHealthListOut(
        channels=[
            ChannelHealthOut(
                id=c.id,
                platform=c.spec.platform.value,
                kind=c.spec.kind.value,
                name=c.spec.name,
                handle=c.spec.handle,
                queue=c.queue,
                ingest=health.get(c.id),
            )
            for c in ctx.registry
            if principal.sees_channel(c.id)
        ]
    )


def _etag(channel: str, since: int, limit: int, head: int) -> str:
    digest = hashlib.sha256(f"{channel}|{since}|{limit}|{head}".encode()).hexdigest()[:32]
    return f'"{digest}"'


@router.get(
    "/{channel}/items",
    response_model=ChangesOut,
    responses={
        **R400C,
        **R401,
        **R403,
        **R404,
        304: {"description": "Nothing changed since the ETag given in If-None-Match."},
    },
)
def channel_changes(
    session: SessionDep,
    principal: PrincipalDep,
    channel: Annotated[str, Path(min_length=1, max_length=200, examples=["twitter:hee_kss"])],
    since: Annotated[
        str | None, Query(max_length=100, description="`cursor` of the previous response.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    if_none_match: Annotated[str | None, Header(max_length=200)] = None,
) -> Response:
    """Items of the channel created or changed since the cursor, and the cursor to pass next.

    Send the previous response's ETag as If-None-Match: 304 (no body) when nothing changed.
    """
    if not principal.sees_channel(channel):
        raise not_visible(principal, "channel")
    try:
        after = read_change_cursor(since) if since is not None else 0
    except CursorError as err:
        raise bad_cursor("since", err) from err
    head = store.channel_head(session, channel_id=channel)
    etag = _etag(channel, after, limit, head)
    if if_none_match is not None and etag in {t.strip() for t in if_none_match.split(",")}:
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
    rows = store.channel_changes(session, channel_id=channel, since=after, limit=limit)
    new_after = rows[-1].change_seq if rows else after
    page = ChangesOut(
        channel=channel,
        items=[listed_out(r) for r in rows],
        cursor=change_cursor(new_after),
        has_more=len(rows) == limit and new_after < head,
    )
    return json_response(page, headers={"ETag": etag})
