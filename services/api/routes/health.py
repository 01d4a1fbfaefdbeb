"""Liveness, readiness and Prometheus metrics: no authentication."""

from __future__ import annotations

from fastapi import APIRouter, Response, status
from pydantic import BaseModel, Field
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from services.api import outbox, store
from services.api.db import ping
from services.api.deps import ContextDep
from services.api.metrics import render_gauges

router = APIRouter(tags=["health"])


class HealthOut(BaseModel):
    """Process liveness."""

    status: str


class ReadyOut(BaseModel):
    """Readiness: database reachable and projector lag known."""

    ready: bool
    database: str
    projector_lag: int | None = None
    projector_age_s: float | None = Field(
        default=None, description="Seconds since the projector last recorded its position."
    )
    outbox_backlog: int | None = Field(default=None, description="Rows waiting for the relay.")
    detail: str | None = None


@router.get("/healthz", response_model=HealthOut)
def healthz() -> HealthOut:
    """The process is up."""
    return HealthOut(status="ok")


@router.get("/readyz", response_model=ReadyOut, responses={503: {"model": ReadyOut}})
def readyz(ctx: ContextDep, response: Response) -> ReadyOut:
    """Ready when the database answers and the projector is alive and caught up.

    503 when the projector never ran, has not recorded its position for
    SWITCHBOARD_API_READY_MAX_AGE_S (stopped, or stuck retrying), or lags by more than
    SWITCHBOARD_API_READY_MAX_LAG events.
    """
    try:
        ping(ctx.engine)
        with Session(ctx.engine) as session:
            lag = store.projector_lag(session)
            seen_at = store.projector_seen_at(session)
            backlog = outbox.backlog(session)
    except SQLAlchemyError as err:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        return ReadyOut(ready=False, database="unreachable", detail=type(err).__name__)
    if lag is None or seen_at is None:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        return ReadyOut(ready=False, database="ok", detail="projector lag unknown (not run yet)")
    total = sum(lag.values())
    age = max(0.0, (ctx.clock() - seen_at).total_seconds())
    out = ReadyOut(
        ready=True,
        database="ok",
        projector_lag=total,
        projector_age_s=round(age, 3),
        outbox_backlog=backlog,
    )
    settings = ctx.settings
    if age > settings.ready_max_age_s:
        out.ready, out.detail = False, f"projector silent for {age:.0f}s (stopped or failing)"
    elif total > settings.ready_max_lag:
        out.ready, out.detail = False, f"projector {total} events behind"
    if not out.ready:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return out


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}}},
)
def metrics(ctx: ContextDep) -> Response:
    """Prometheus text format: items by queue and status, projector lag, request latency."""
    with Session(ctx.engine) as session:
        items = store.items_by_queue_status(session)
        lag = store.projector_lag(session)
    lines = render_gauges(items=items, lag=lag) + ctx.metrics.render()
    return Response("\n".join(lines) + "\n", media_type="text/plain; version=0.0.4; charset=utf-8")
