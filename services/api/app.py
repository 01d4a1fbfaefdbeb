"""The FastAPI application factory: routes, error shapes, body limits and request metrics."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from anyio import to_thread
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.api.context import ApiContext
from services.api.metrics import RequestMetrics
from services.api.routes import audit, campaigns, channels, health, items, queues, replies, reports
from services.api.routes.items import ConflictHTTPError, GuidanceHTTPError
from services.common.asgi import BodyLimit, NoStoreHeaders
from services.web.app import mount_web
from services.web.context import WebContext

DESCRIPTION = """\
The queue API of Switchboard. Teams work their queues; local and programme leads poll their
channels. Authenticate with `Authorization: Bearer <token>` (`switchboard tokens create`).
Outside your scope, an item, queue or channel gets 403 whether or not it exists; admins, who
see everything, get 404 for what does not exist.
"""


class RequestTiming:
    """Observe each request's latency by route template.

    Plain ASGI on purpose: Starlette's BaseHTTPMiddleware adds a task and streams per request.
    """

    def __init__(self, app: ASGIApp, *, metrics: RequestMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Time the app; note the status it answers with."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def noting(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, noting)
        finally:
            route = scope.get("route")
            self.metrics.observe(
                route=getattr(route, "path", "<unmatched>"),
                method=scope["method"],
                status=status,
                seconds=time.perf_counter() - started,
            )


def create_app(ctx: ApiContext, *, web: WebContext | None = None) -> FastAPI:
    """Build the app around its collaborators (database engine, publisher, registry, clock).

    The team pages (services/web) are served by the same app, over the same context.
    """

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Fewer threads than anyio's 40 can mean less GIL contention under load.
        to_thread.current_default_thread_limiter().total_tokens = ctx.settings.threads
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="Switchboard queue API",
        version="1.0.0",
        description=DESCRIPTION,
        openapi_tags=[
            {"name": "queues", "description": "Work lists of the teams."},
            {"name": "items", "description": "An item, its history, and actions on it."},
            {"name": "channels", "description": "Polling interface of leads."},
            {"name": "campaigns", "description": "Tracked campaign hashtags."},
            {"name": "replies", "description": "Draft replies checked against the guidance."},
            {"name": "audit", "description": "Every work and admin event (admins)."},
            {"name": "reports", "description": "Monthly activity reports, per format."},
            {"name": "health", "description": "Liveness, readiness, metrics (no auth)."},
        ],
    )
    app.state.ctx = ctx
    for module in (queues, items, channels, campaigns, replies, audit, reports, health):
        app.include_router(module.router)

    @app.exception_handler(ConflictHTTPError)
    async def _conflict(_request: Request, exc: ConflictHTTPError) -> JSONResponse:
        return JSONResponse({"detail": exc.detail, "holder": exc.holder}, status_code=409)

    @app.exception_handler(GuidanceHTTPError)
    async def _guidance(_request: Request, exc: GuidanceHTTPError) -> JSONResponse:
        return exc.response()

    web = web or WebContext()
    # The pages show drafts the verdict of the very checker that replies go through.
    web.checker = web.checker or ctx.checker
    mount_web(app, web)
    app.add_middleware(RequestTiming, metrics=ctx.metrics)
    app.add_middleware(BodyLimit, max_bytes=ctx.settings.max_body_bytes)
    # Outermost, so that the 413 and every error answer carry the headers too.
    app.add_middleware(NoStoreHeaders)
    return app
