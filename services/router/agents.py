"""Faust agents and the release timer: each is a thin loop over RouterHandlers."""

from __future__ import annotations

from typing import Any

import faust

from services.router.handlers import RouterHandlers


def register_agents(app: faust.App, handlers: RouterHandlers, *, tick_interval_s: float) -> None:
    """Attach the routing and campaign agents and the release timer to `app`."""

    @app.agent(handlers.topics.items, name="route")
    async def route(stream: Any) -> None:
        async for event in stream.events():
            await handlers.route(event)

    @app.agent(handlers.topics.campaigns, name="campaigns")
    async def track_campaigns(stream: Any) -> None:
        async for event in stream.events():
            await handlers.track_campaign(event)

    # faust leaves app.timer untyped (no_type_check); the wrapped function is typed.
    @app.page("/ready")
    async def ready(view: Any, _request: Any) -> Any:
        """200 once tables are recovered and the worker routes; 503 before."""
        status = 200 if handlers.is_ready() else 503
        return view.json({"ready": status == 200}, status=status)

    @app.timer(interval=tick_interval_s, name="release")  # type: ignore[untyped-decorator]
    async def release() -> None:
        await handlers.release_due()
