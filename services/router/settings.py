"""Router settings (prefix SWITCHBOARD_ROUTER_), built in the entrypoint and passed down."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


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
    data_dir: Path | None = Field(
        default=None, description="Faust's data dir; default <SWITCHBOARD_DATA_DIR>/router."
    )
