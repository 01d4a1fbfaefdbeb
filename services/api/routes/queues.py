"""GET /v1/queues and the work lists."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from services.api import store
from services.api.cursors import CursorError, page_cursor, read_page_cursor
from services.api.deps import ContextDep, PrincipalDep, SessionDep
from services.api.domain.workflow import WorkStatus
from services.api.public import ItemPageOut, QueueListOut, QueueOut
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
from services.api.sla_metrics import SlaState

router = APIRouter(prefix="/v1/queues", tags=["queues"])

QueueName = Annotated[
    str, Path(min_length=1, max_length=200, examples=["press"], description="Queue name.")
]


@router.get("", response_model=QueueListOut, responses={**R401})
def list_queues(ctx: ContextDep, session: SessionDep, principal: PrincipalDep) -> QueueListOut:
    """The caller's queues with counts of open, held and claimed items and the oldest wait."""
    queues = sorted(principal.queues)
    counts = store.queue_counts(session, principal=principal, queues=queues)
    now = ctx.clock()
    out = []
    for queue in queues:
        oldest = store.oldest_open(session, principal=principal, queue=queue)
        spec = ctx.registry.queues.get(queue)
        out.append(
            QueueOut(
                queue=queue,
                name=spec.name if spec else queue,
                open=counts[queue].get(WorkStatus.OPEN.value, 0),
                held=counts[queue].get(WorkStatus.HELD.value, 0),
                claimed=counts[queue].get(WorkStatus.CLAIMED.value, 0),
                oldest_open_at=oldest,
                oldest_open_age_seconds=(now - oldest).total_seconds() if oldest else None,
            )
        )
    return QueueListOut(queues=out)


@router.get(
    "/{queue}/items", response_model=ItemPageOut, responses={**R400C, **R401, **R403, **R404}
)
def list_items(
    session: SessionDep,
    principal: PrincipalDep,
    queue: QueueName,
    status: Annotated[WorkStatus, Query(description="Which items to list.")] = WorkStatus.OPEN,
    limit: Annotated[int, Query(ge=1, le=200, description="Page size.")] = 50,
    cursor: Annotated[
        str | None, Query(max_length=200, description="`next_cursor` of the previous page.")
    ] = None,
    sla: Annotated[
        SlaState | None,
        Query(description="Only items with an SLA target in this state (warning, breached)."),
    ] = None,
) -> Response:
    """A work list: oldest first by when items became available, one page at a time.

    Pages are keyset-paginated on (available time, id), so items inserted while paging never
    shift or repeat the items already seen.
    """
    if not principal.sees_queue(queue):
        raise not_visible(principal, "queue")
    after = None
    if cursor is not None:
        try:
            after = read_page_cursor(cursor)
        except CursorError as err:
            raise bad_cursor("cursor", err) from err
    rows = store.work_list(
        session, principal=principal, queue=queue, status=status, after=after, limit=limit,
        sla=sla,
    )  # fmt: skip
    next_cursor = None
    if len(rows) == limit:
        last = rows[-1]
        next_cursor = page_cursor(sort_at=last.sort_at, item_id=last.id)
    return json_response(ItemPageOut(items=[listed_out(r) for r in rows], next_cursor=next_cursor))
