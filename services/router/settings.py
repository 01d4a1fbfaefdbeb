"""Router settings (prefix SWITCHBOARD_ROUTER_), built in the entrypoint and passed down."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from schemas.topics import INBOX_ITEMS
from services.common.settings import KafkaSettings, PathSettings


class RouterSettings(BaseSettings):
    """How the routing worker runs."""

    model_config = SettingsConfigDict(env_prefix="SWITCHBOARD_ROUTER_", extra="ignore")

    app_id: str = Field(
        default="switchboard-router",
        pattern=r"^[A-Za-z0-9._-]+$",
        description="Faust app id: consumer group and internal topic names (the Kafka topic "
        "prefix is put in front of it).",
    )
    web_host: str = Field(default="127.0.0.1", description="Address of the worker's web server.")
    web_port: int = Field(default=6066, ge=1, le=65535, description="Port of its web server.")
    clock_file: Path | None = Field(
        default=None,
        description="Test/demo facility: a file holding an ISO-8601 instant with offset; when "
        "set, the worker's `now` is read from it on every use instead of the real clock.",
    )
    tick_interval_s: float = Field(
        default=1.0, gt=0, description="How often held items are checked for release."
    )
    seen_retention_s: float | None = Field(
        default=None,
        gt=0,
        description="How long an item id is remembered for duplicate detection; default the "
        "retention of inbox.items.v1 (30 days), after which a replay cannot bring it back.",
    )
    seen_sweep_interval_s: float = Field(
        default=60.0, gt=0, description="How often the release timer sweeps expired seen ids."
    )
    producer_linger_ms: int = Field(
        default=5,
        ge=0,
        description="How long the producer waits to batch sends (routed events, changelogs).",
    )
    data_dir: Path | None = Field(
        default=None, description="Faust's data dir; default <SWITCHBOARD_DATA_DIR>/router."
    )

    def seen_retention(self) -> timedelta:
        """How long a seen id is kept: the setting, else inbox.items.v1's retention."""
        if self.seen_retention_s is not None:
            return timedelta(seconds=self.seen_retention_s)
        if INBOX_ITEMS.retention_ms is None or INBOX_ITEMS.retention_ms < 0:
            raise ValueError("inbox.items.v1 keeps records forever: set seen_retention_s")
        return timedelta(milliseconds=INBOX_ITEMS.retention_ms)


class RouterServiceSettings(BaseSettings):
    """Everything the router worker is built from, composed once."""

    model_config = SettingsConfigDict(extra="ignore")

    router: RouterSettings = Field(default_factory=RouterSettings)
    kafka: KafkaSettings = Field(default_factory=KafkaSettings)
    paths: PathSettings = Field(default_factory=PathSettings)
