"""Settings of the queue API and its projector, built once in an entrypoint and passed down."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.common.settings import PathSettings


def default_database_url(data_dir: Path) -> str:
    """The embedded default: a SQLite file in the local data folder."""
    return f"sqlite:///{data_dir / 'switchboard.db'}"


class DatabaseSettings(BaseSettings):
    """Which database the API and projector share: one URL, SQLite or PostgreSQL."""

    model_config = SettingsConfigDict(extra="ignore")

    url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("SWITCHBOARD_DATABASE_URL"),
        description="SQLAlchemy URL, e.g. postgresql+psycopg://user:pw@host/db; default is "
        "a SQLite file <data_dir>/switchboard.db.",
    )

    def resolved_url(self, paths: PathSettings) -> str:
        """The URL to connect to, falling back to the SQLite file in the data folder."""
        return self.url or default_database_url(paths.data_dir)


class ApiSettings(BaseSettings):
    """HTTP server and projector settings (prefix SWITCHBOARD_API_)."""

    model_config = SettingsConfigDict(env_prefix="SWITCHBOARD_API_", extra="ignore")

    host: str = Field(default="127.0.0.1", description="Interface `api serve` listens on.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port `api serve` listens on.")
    max_body_bytes: int = Field(
        default=64 * 1024, ge=1024, description="Largest request body accepted (413 above)."
    )
    publish_timeout_s: float = Field(
        default=10.0, gt=0, description="How long a reply or campaign waits for the broker's ack."
    )
    auth_cache_ttl_s: float = Field(
        default=5.0,
        ge=0,
        le=300,
        description="How long a token's answer (principal, or unknown/revoked) is cached in each "
        "API process; a revocation takes effect within this many seconds. 0 turns caching off.",
    )
    metrics_cache_ttl_s: float = Field(
        default=10.0,
        ge=0,
        le=300,
        description="How long /metrics reuses its item counts (a full-table aggregate) before "
        "counting again; 0 counts on every scrape.",
    )
    threads: int = Field(
        default=40,
        ge=1,
        le=40,
        description="Worker threads running the synchronous routes (anyio's default is 40; at "
        "most the database pool's 40 connections).",
    )
    projector_group: str = Field(
        default="switchboard-api-projector",
        description="Consumer group id of the projector, after the topic prefix (as the "
        "router's app id), so pipelines with different prefixes on one broker never share it.",
    )
    projector_batch: int = Field(
        default=2_000,
        ge=1,
        le=10_000,
        description="Most records the projector applies per commit (one transaction: a bigger "
        "batch spreads the offsets round trips, a smaller one holds the write lock less long).",
    )
    projector_poll_ms: int = Field(
        default=1_000, ge=10, description="How long one projector poll waits for records."
    )

    relay_batch: int = Field(
        default=500, ge=1, le=10_000, description="Most outbox rows the relay sends per round."
    )
    relay_idle_s: float = Field(
        default=0.1, gt=0, le=10, description="How long the relay sleeps when the outbox is empty."
    )
    ready_max_lag: int = Field(
        default=10_000,
        ge=0,
        description="/readyz answers 503 while the projector is more events behind than this.",
    )
    ready_max_age_s: float = Field(
        default=30.0,
        gt=0,
        description="/readyz answers 503 when the projector has not recorded its position for "
        "this long (stopped, or stuck retrying).",
    )

    def projector_group_id(self, topic_prefix: str) -> str:
        """The projector's consumer group: the topic prefix, then `projector_group`."""
        return f"{topic_prefix}{self.projector_group}"
