"""Wire the worker from settings and run it until it is stopped."""

from __future__ import annotations

import logging

import faust
from faust.worker import Worker

from schemas.registry import load_registry
from services.common.settings import KafkaSettings, PathSettings
from services.router.agents import register_agents
from services.router.app import create_app
from services.router.clock import Clock, clock_for
from services.router.domain.calendar import build_calendars
from services.router.handlers import RouterHandlers
from services.router.internal_topics import ensure_internal_topics
from services.router.seen_sweep import SeenSweeper
from services.router.settings import RouterSettings
from services.router.tables import define_tables
from services.router.topics import define_topics

logger = logging.getLogger(__name__)


def build_worker_app(
    *,
    router: RouterSettings,
    kafka: KafkaSettings,
    paths: PathSettings,
    clock: Clock | None = None,
) -> tuple[faust.App, RouterHandlers]:
    """The fully wired faust app (agents, tables, timer) and its handlers."""
    registry = load_registry(paths.registry_path)
    app = create_app(
        router=router, kafka=kafka, data_dir=router.data_dir or paths.data_dir / "router"
    )
    tables = define_tables(app)
    handlers = RouterHandlers(
        app=app,
        topics=define_topics(app, kafka),
        tables=tables,
        registry=registry,
        calendars=build_calendars(registry),
        clock=clock or clock_for(router.clock_file),
        sweeper=SeenSweeper(
            tables.seen,
            retention=router.seen_retention(),
            interval_s=router.seen_sweep_interval_s,
        ),
    )
    register_agents(app, handlers, tick_interval_s=router.tick_interval_s)
    return app, handlers


def run_worker(
    *, router: RouterSettings, kafka: KafkaSettings, paths: PathSettings, loglevel: str
) -> None:
    """Run the router worker in this process until SIGTERM / SIGINT."""
    app, handlers = build_worker_app(router=router, kafka=kafka, paths=paths)
    ensure_internal_topics(app, kafka)
    logger.info(
        "router %s: %d channels, clock %s, web http://%s:%d/",
        app.conf.id,
        len(handlers.registry),
        router.clock_file or "system (UTC)",
        router.web_host,
        router.web_port,
    )
    Worker(app, loglevel=loglevel, redirect_stdouts=False).execute_from_commandline()
