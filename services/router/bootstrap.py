"""Builds the whole router worker from one composed settings object (plus test overrides)."""

from __future__ import annotations

from dataclasses import dataclass

import faust

from schemas.registry import ChannelRegistry, load_registry
from services.router.agents import register_agents
from services.router.app import create_app
from services.router.clock import Clock, clock_for
from services.router.domain.calendar import build_calendars
from services.router.handlers import RouterHandlers
from services.router.seen_sweep import SeenSweeper
from services.router.settings import RouterServiceSettings
from services.router.tables import define_tables
from services.router.topics import define_topics


@dataclass(frozen=True)
class RouterService:
    """The wired faust app (agents, tables, timer), its handlers and the settings behind them."""

    settings: RouterServiceSettings
    app: faust.App
    handlers: RouterHandlers


def bootstrap(
    settings: RouterServiceSettings | None = None,
    *,
    clock: Clock | None = None,
    registry: ChannelRegistry | None = None,
) -> RouterService:
    """The router worker's app and handlers; `clock` and `registry` are overrides for tests."""
    settings = settings or RouterServiceSettings()
    router, kafka, paths = settings.router, settings.kafka, settings.paths
    reg = registry if registry is not None else load_registry(paths.registry_path)
    app = create_app(
        router=router, kafka=kafka, data_dir=router.data_dir or paths.data_dir / "router"
    )
    tables = define_tables(app)
    handlers = RouterHandlers(
        app=app,
        topics=define_topics(app, kafka),
        tables=tables,
        registry=reg,
        calendars=build_calendars(reg),
        clock=clock or clock_for(router.clock_file),
        sweeper=SeenSweeper(
            tables.seen,
            retention=router.seen_retention(),
            interval_s=router.seen_sweep_interval_s,
        ),
    )
    register_agents(app, handlers, tick_interval_s=router.tick_interval_s)
    return RouterService(settings=settings, app=app, handlers=handlers)
