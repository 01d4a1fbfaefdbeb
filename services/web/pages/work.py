"""The queues page, a queue's work list, a local lead's page, and their live event stream."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, StreamingResponse
from sqlmodel import Session

from services.api.deps import ContextDep, SessionDep
from services.api.domain.workflow import WorkStatus
from services.web import queries, views
from services.web.deps import SignedIn, WebDep
from services.web.render import page

router = APIRouter(include_in_schema=False)
STATUSES = [s.value for s in WorkStatus]
StatusQ = Annotated[WorkStatus, Query()]


class NotVisibleError(Exception):
    """A page outside the user's scope (rendered as 403, whether or not it exists)."""


@router.get("/", response_class=HTMLResponse)
def queues_page(
    request: Request, ctx: ContextDep, session: SessionDep, signed_in: SignedIn
) -> HTMLResponse:
    """Every queue the user may see, with counts; live."""
    user, csrf = signed_in
    since = queries.head(session, principal=user.principal, queue=None)  # before the counts
    summaries = views.queue_summaries(
        session, principal=user.principal, registry=ctx.registry, now=ctx.clock()
    )
    return page(
        request, "queues.html", user=user, csrf=csrf, title="Queues", queues=summaries,
        live_url=f"/live?page=queues&since={since}",
    )  # fmt: skip


@router.get("/fragments/queues", response_class=HTMLResponse)
def queues_fragment(
    request: Request, ctx: ContextDep, session: SessionDep, signed_in: SignedIn
) -> HTMLResponse:
    """The queues' cards alone, for a live refresh."""
    user, csrf = signed_in
    summaries = views.queue_summaries(
        session, principal=user.principal, registry=ctx.registry, now=ctx.clock()
    )
    return page(request, "_queue_table.html", user=user, csrf=csrf, queues=summaries)


def _list_context(
    ctx: ContextDep, session: Session, signed_in: SignedIn, queue: str, status: WorkStatus
) -> dict[str, Any]:
    user, _csrf = signed_in
    if not user.principal.sees_queue(queue):
        raise NotVisibleError
    now = ctx.clock()
    since = queries.head(session, principal=user.principal, queue=queue)  # before the rows
    rows = views.work_rows(session, principal=user.principal, queue=queue, status=status, now=now)
    return {
        "title": views.queue_name(ctx.registry, queue),
        "rows": rows,
        "more": len(rows) == views.LIST_LIMIT,
        "status": status.value,
        "statuses": STATUSES,
        "office": views.office(ctx.registry, queue=queue, now=now),
        "base_url": f"/queues/{queue}",
        "fragment_url": f"/queues/{queue}/rows?status={status.value}",
        "live_url": f"/live?queue={queue}&since={since}",
    }


@router.get("/queues/{queue}", response_class=HTMLResponse)
def work_list_page(
    request: Request,
    ctx: ContextDep,
    session: SessionDep,
    signed_in: SignedIn,
    queue: str,
    status: StatusQ = WorkStatus.OPEN,
) -> HTMLResponse:
    """One queue's work list, oldest first; filter by status; j/k/Enter; live."""
    context = _list_context(ctx, session, signed_in, queue, status)
    return page(request, "worklist.html", user=signed_in[0], csrf=signed_in[1], **context)


@router.get("/queues/{queue}/rows", response_class=HTMLResponse)
def work_list_rows(
    request: Request,
    ctx: ContextDep,
    session: SessionDep,
    signed_in: SignedIn,
    queue: str,
    status: StatusQ = WorkStatus.OPEN,
) -> HTMLResponse:
    """The work list's table alone, for a live refresh."""
    context = _list_context(ctx, session, signed_in, queue, status)
    return page(request, "_work_rows.html", user=signed_in[0], csrf=signed_in[1], **context)


def _lead_context(
    ctx: ContextDep, session: Session, signed_in: SignedIn, status: WorkStatus
) -> dict[str, Any]:
    user, _csrf = signed_in
    if not user.principal.channels:
        raise NotVisibleError
    since = queries.head(session, principal=user.principal, queue=None)  # before the rows
    rows = views.lead_rows(session, principal=user.principal, status=status, now=ctx.clock())
    return {
        "title": "My channels",
        "channels": sorted(user.principal.channels),
        "rows": rows,
        "more": len(rows) == views.LIST_LIMIT,
        "status": status.value,
        "statuses": STATUSES,
        "fragment_url": f"/channels/rows?status={status.value}",
        "live_url": f"/live?page=channels&since={since}",
    }


@router.get("/channels", response_class=HTMLResponse)
def lead_page(
    request: Request,
    ctx: ContextDep,
    session: SessionDep,
    signed_in: SignedIn,
    status: StatusQ = WorkStatus.OPEN,
) -> HTMLResponse:
    """A local lead's page: the items of their channels, in every queue."""
    context = _lead_context(ctx, session, signed_in, status)
    return page(request, "channels.html", user=signed_in[0], csrf=signed_in[1], **context)


@router.get("/channels/rows", response_class=HTMLResponse)
def lead_rows(
    request: Request,
    ctx: ContextDep,
    session: SessionDep,
    signed_in: SignedIn,
    status: StatusQ = WorkStatus.OPEN,
) -> HTMLResponse:
    """The lead's table alone, for a live refresh."""
    context = _lead_context(ctx, session, signed_in, status)
    return page(request, "_work_rows.html", user=signed_in[0], csrf=signed_in[1], **context)


# A change number a page or a stream resumes from; anything else in the header is ignored.
_MAX_SINCE = 2**62
SinceQ = Annotated[int | None, Query(ge=0, le=_MAX_SINCE)]


def resume_point(last_event_id: str | None, since: int | None) -> int | None:
    """Where a live stream starts: the last event the browser saw, else the page's own number.

    `Last-Event-ID` comes back from EventSource when it reconnects; it is a header anyone can
    set, so only a bounded decimal counts, and anything else falls back to `since`.
    """
    if last_event_id is not None:
        text = last_event_id.strip()
        if text.isascii() and text.isdecimal() and len(text) <= 19 and int(text) <= _MAX_SINCE:
            return int(text)
    return since


@router.get("/live")
async def live(
    request: Request,
    ctx: ContextDep,
    web: WebDep,
    signed_in: SignedIn,
    queue: Annotated[str | None, Query(max_length=200)] = None,
    since: SinceQ = None,
) -> StreamingResponse:
    """Server-sent events: `change` whenever an item the page shows changes.

    The stream checks the newest change number every `live_poll_s` (one indexed query), so
    any API process sees changes made by any other, or by the projector, without a broker
    subscription per browser. It closes after `live_max_s`; EventSource reconnects by itself.

    The page passes the change number it was rendered at (`since`), and every event carries
    its number as its id, so a change made before the stream opened, or while the browser
    was reconnecting, is still announced at once instead of being lost.
    """
    user, _csrf = signed_in
    if queue is not None and not user.principal.sees_queue(queue):
        raise NotVisibleError
    settings = web.settings
    start = resume_point(request.headers.get("last-event-id"), since)

    def _head() -> int:
        with Session(ctx.engine) as session:
            return queries.head(session, principal=user.principal, queue=queue)

    async def events() -> AsyncIterator[str]:
        current = await run_in_threadpool(_head)
        last = current if start is None else start
        yield f"retry: 3000\nid: {last}\nevent: hello\ndata: {last}\n\n"
        loop = asyncio.get_running_loop()
        ends = loop.time() + settings.live_max_s
        while True:
            if current != last:
                last = current
                yield f"id: {current}\nevent: change\ndata: {current}\n\n"
            else:
                yield ": idle\n\n"
            if loop.time() >= ends or await request.is_disconnected():
                return
            await asyncio.sleep(settings.live_poll_s)
            current = await run_in_threadpool(_head)

    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    return StreamingResponse(events(), media_type="text/event-stream", headers=headers)
