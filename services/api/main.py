"""Wiring: concrete settings, engine, publisher and registry for the real processes."""

from __future__ import annotations

from sqlalchemy import Engine

from schemas.registry import ChannelRegistry, load_registry
from services.api.context import ApiContext
from services.api.db import make_engine
from services.api.settings import ApiSettings, DatabaseSettings
from services.common.clock import utc_now
from services.common.kafka_publisher import KafkaPublisher
from services.common.private import private_dir
from services.common.settings import KafkaSettings, PathSettings
from services.guidance.bootstrap import build_checker
from services.report.settings import ReportSettings


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


def build_context() -> ApiContext:
    """The real context: settings from the environment; the producer is made on first use."""
    paths = PathSettings()
    settings = ApiSettings()
    registry = registry_from_settings(paths)
    checker = build_checker(registry=registry, clock=utc_now)
    return ApiContext(
        settings=settings,
        engine=database_engine(paths),
        publisher=KafkaPublisher(
            KafkaSettings(), timeout_s=settings.publish_timeout_s, client_id="switchboard-api"
        ),
        registry=registry,
        checker=checker,  # one guidance for POST /v1/replies/check, replies and pages
        reports_dir=ReportSettings().reports_dir(paths),
    )
