"""SLA timer settings (prefix SWITCHBOARD_SLA_), built in the entrypoint and passed down."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.common.settings import KafkaSettings, PathSettings
from services.report.settings import ReportSettings


class SlaSettings(BaseSettings):
    """How the SLA timer runs."""

    model_config = SettingsConfigDict(env_prefix="SWITCHBOARD_SLA_", extra="ignore")

    web_host: str = Field(default="127.0.0.1", description="Address of /ready and /metrics.")
    web_port: int = Field(default=6067, ge=0, le=65535, description="Port of /ready, /metrics.")
    tick_interval_s: float = Field(
        default=1.0, gt=0, le=60, description="How often due warnings and breaches are checked."
    )
    count_submitted: bool = Field(
        default=True,
        description="Count a submitted reply as the first response. Until a publisher runs "
        "there is no published event; with one deployed, set false so only a published "
        "reply counts.",
    )
    clock_file: Path | None = Field(
        default=None,
        description="Test/demo facility: a file holding an ISO-8601 instant with offset, read "
        "as `now` instead of the real clock (as the router's).",
    )
    reports: bool = Field(
        default=True,
        description="Also generate the monthly reports on the first working day of a month.",
    )


class SlaServiceSettings(BaseSettings):
    """Everything the SLA service is built from."""

    model_config = SettingsConfigDict(extra="ignore")

    sla: SlaSettings = Field(default_factory=SlaSettings)
    report: ReportSettings = Field(default_factory=ReportSettings)
    kafka: KafkaSettings = Field(default_factory=KafkaSettings)
    paths: PathSettings = Field(default_factory=PathSettings)
