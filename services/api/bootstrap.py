"""The API service's wiring: settings, engine, publisher and registry for its processes.

`build_context` (the HTTP app), `build_projector` and `build_relay` each build one process of
the service from the environment's settings; tests pass keyword overrides (a fake clock, a
publisher of their own, an engine on a scratch database). The CLI only parses flags and
calls these.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Engine

from schemas.registry import ChannelRegistry, load_registry
from services.api.context import ApiContext
from services.api.db import make_engine
from services.api.projector_loop import Projector
from services.api.relay import Relay
from services.api.settings import ApiSettings, DatabaseSettings
from services.common.clock import utc_now
from services.common.kafka_publisher import KafkaPublisher, Publisher
from services.common.private import private_dir
from services.common.settings import KafkaSettings, PathSettings
from services.guidance.bootstrap import build_checker
from services.report.settings import ReportSettings

Clock = Callable[[], datetime]


def database_engine(paths: PathSettings | None = None) -> Engine:
    """The engine for SWITCHBOARD_DATABASE_URL (or the SQLite file in the data folder)."""
    paths = paths or PathSettings()
    url = DatabaseSettings().resolved_url(paths)
    if url.startswith("sqlite:///"):
        private_dir(paths.data_dir)
    return make_engine(url)


def registry_from_settings(paths: PathSettings | None = None) -> ChannelRegistry:
    """The channel registry named by SWITCHBOARD_REGISTRY_PATH."""
    return load_registry((paths or PathSettings()).registry_path)


def api_publisher(settings: ApiSettings, kafka: KafkaSettings) -> KafkaPublisher:
    """The API's Kafka publisher; the producer is made on first use."""
    return KafkaPublisher(kafka, timeout_s=settings.publish_timeout_s, client_id="switchboard-api")


def build_context(
    *,
    paths: PathSettings | None = None,
    settings: ApiSettings | None = None,
    kafka: KafkaSettings | None = None,
    publisher: Publisher | None = None,
    engine: Engine | None = None,
    registry: ChannelRegistry | None = None,
    clock: Clock = utc_now,
) -> ApiContext:
    """The HTTP app's context: settings from the environment unless overridden."""
    paths = paths or PathSettings()
    settings = settings or ApiSettings()
    registry = registry or registry_from_settings(paths)
    return ApiContext(
        settings=settings,
        engine=engine or database_engine(paths),
        publisher=publisher or api_publisher(settings, kafka or KafkaSettings()),
        registry=registry,
        # One guidance for POST /v1/replies/check, replies and pages.
        checker=build_checker(registry=registry, clock=clock),
        reports_dir=ReportSettings().reports_dir(paths),
    )


def build_projector(
    *,
    engine: Engine,
    publisher: Publisher,
    settings: ApiSettings | None = None,
    kafka: KafkaSettings | None = None,
    clock: Clock = utc_now,
) -> Projector:
    """The projector process: the routed, work and admin topics folded into `engine`."""
    settings = settings or ApiSettings()
    kafka = kafka or KafkaSettings()
    return Projector(
        engine=engine,
        kafka=kafka,
        publisher=publisher,
        group_id=settings.projector_group_id(kafka.topic_prefix),
        clock=clock,
        batch=settings.projector_batch,
        poll_ms=settings.projector_poll_ms,
    )


def build_relay(
    *,
    engine: Engine,
    settings: ApiSettings | None = None,
    kafka: KafkaSettings | None = None,
    clock: Clock = utc_now,
) -> Relay:
    """The outbox relay process: committed outbox rows to Kafka, in order."""
    settings = settings or ApiSettings()
    return Relay(
        engine=engine,
        kafka=kafka or KafkaSettings(),
        clock=clock,
        batch=settings.relay_batch,
        idle_s=settings.relay_idle_s,
    )
