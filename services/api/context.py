"""Everything a request needs, wired once by the app factory and overridable by tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from schemas.guidance import ReplyChecker
from schemas.registry import ChannelRegistry
from services.api.authcache import TokenCache
from services.api.metrics import GaugeCache, RequestMetrics
from services.api.settings import ApiSettings
from services.common.clock import utc_now
from services.common.kafka_publisher import Publisher


@dataclass
class ApiContext:
    """The app's collaborators."""

    settings: ApiSettings
    engine: Engine
    publisher: Publisher
    registry: ChannelRegistry
    clock: Callable[[], datetime] = utc_now
    metrics: RequestMetrics = field(default_factory=RequestMetrics)
    token_cache: TokenCache | None = None
    # The staff guidance every draft and reply is checked against; None: replies are 503.
    checker: ReplyChecker | None = None
    gauges: GaugeCache | None = None
    # Where the monthly reports are stored (GET /v1/reports); None: no reports.
    reports_dir: Path | None = None

    def __post_init__(self) -> None:
        if self.token_cache is None:
            self.token_cache = TokenCache(ttl_s=self.settings.auth_cache_ttl_s)
        if self.gauges is None:
            self.gauges = GaugeCache(ttl_s=self.settings.metrics_cache_ttl_s)
