"""Run the router worker (built by bootstrap.py) until it is stopped."""

from __future__ import annotations

import logging

import faust
from faust.worker import Worker

from services.common.settings import KafkaSettings, PathSettings
from services.router.bootstrap import RouterService, bootstrap
from services.router.clock import Clock
from services.router.handlers import RouterHandlers
from services.router.internal_topics import ensure_internal_topics
from services.router.settings import RouterServiceSettings, RouterSettings

logger = logging.getLogger(__name__)


def build_worker_app(
    *,
    router: RouterSettings,
    kafka: KafkaSettings,
    paths: PathSettings,
    clock: Clock | None = None,
) -> tuple[faust.App, RouterHandlers]:
    """The fully wired faust app (agents, tables, timer) and its handlers."""
    service = bootstrap(RouterServiceSettings(router=router, kafka=kafka, paths=paths), clock=clock)
    return service.app, service.handlers


def run(service: RouterService, *, loglevel: str) -> None:
    """Run a bootstrapped router worker in this process until SIGTERM / SIGINT."""
    app, handlers, settings = service.app, service.handlers, service.settings
    router = settings.router
    ensure_internal_topics(app, settings.kafka)
    logger.info(
        "router %s: %d channels, clock %s, web http://%s:%d/",
        app.conf.id,
        len(handlers.registry),
        router.clock_file or "system (UTC)",
        router.web_host,
        router.web_port,
    )
    Worker(app, loglevel=loglevel, redirect_stdouts=False).execute_from_commandline()


def run_worker(
    *, router: RouterSettings, kafka: KafkaSettings, paths: PathSettings, loglevel: str
) -> None:
    """Run the router worker in this process until SIGTERM / SIGINT."""
    run(
        bootstrap(RouterServiceSettings(router=router, kafka=kafka, paths=paths)),
        loglevel=loglevel,
    )
