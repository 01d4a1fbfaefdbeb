"""Liveness, readiness and Prometheus metrics: no authentication."""

from __future__ import annotations

from fastapi import APIRouter, Response, status
from pydantic import BaseModel
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from services.api import store
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
    detail: str | None = None


@router.get("/healthz", response_model=HealthOut)
def healthz() -> HealthOut:
    """The process is up."""
    return HealthOut(status="ok")


@router.get("/readyz", response_model=ReadyOut, responses={503: {"model": ReadyOut}})
def readyz(ctx: ContextDep, response: Response) -> ReadyOut:
    """Ready when the database answers and the projector has recorded its lag."""
    try:
        ping(ctx.engine)
        with Session(ctx.engine) as session:
            lag = store.projector_lag(session)
    except SQLAlchemyError as err:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        return ReadyOut(ready=False, database="unreachable", detail=type(err).__name__)
    if lag is None:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        return ReadyOut(ready=False, database="ok", detail="projector lag unknown (not run yet)")
    return ReadyOut(ready=True, database="ok", projector_lag=sum(lag.values()))


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}}},
)
def metrics(ctx: ContextDep) -> Response:
    """Prometheus text format: items by queue and status, projector lag, request latency.

    Item counts and lag are reused for SWITCHBOARD_API_METRICS_CACHE_TTL_S seconds.
    """

    def gauges() -> list[str]:
        with Session(ctx.engine) as session:
            items = store.items_by_queue_status(session)
            lag = store.projector_lag(session)
        return render_gauges(items=items, lag=lag)

    cached = ctx.gauges.get(gauges) if ctx.gauges is not None else gauges()
    lines = cached + ctx.metrics.render()
    return Response("\n".join(lines) + "\n", media_type="text/plain; version=0.0.4; charset=utf-8")
