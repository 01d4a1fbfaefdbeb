"""Everything a request needs, wired once by the app factory and overridable by tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Engine

from schemas.guidance import ReplyChecker
from schemas.registry import ChannelRegistry
from services.api.authcache import TokenCache
from services.api.guidance_port import default_checker
from services.api.metrics import RequestMetrics
from services.api.publisher import Publisher
from services.api.settings import ApiSettings


def utc_now() -> datetime:
    """The wall clock, aware and in UTC (read only at the edge, passed down)."""
    return datetime.now(UTC)


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
    reply_checker: ReplyChecker | None = None  # the staff guidance; None: replies/check is 503
    checker: ReplyChecker = field(default_factory=default_checker)

    def __post_init__(self) -> None:
        if self.token_cache is None:
            self.token_cache = TokenCache(ttl_s=self.settings.auth_cache_ttl_s)
