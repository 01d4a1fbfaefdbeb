"""Report settings (prefix SWITCHBOARD_REPORT_)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.common.settings import KafkaSettings, PathSettings


class ReportSettings(BaseSettings):
    """Where monthly reports are stored and how responses are counted."""

    model_config = SettingsConfigDict(env_prefix="SWITCHBOARD_REPORT_", extra="ignore")

    dir: Path | None = Field(
        default=None, description="Where generated reports are kept; default <data dir>/reports."
    )
    count_submitted: bool = Field(
        default=True,
        description="Count a submitted reply as the first response (as the SLA timer does).",
    )

    def reports_dir(self, paths: PathSettings) -> Path:
        """The folder reports are stored in."""
        return self.dir or paths.data_dir / "reports"


class ReportServiceSettings(BaseSettings):
    """Everything a report run is built from."""

    model_config = SettingsConfigDict(extra="ignore")

    report: ReportSettings = Field(default_factory=ReportSettings)
    kafka: KafkaSettings = Field(default_factory=KafkaSettings)
    paths: PathSettings = Field(default_factory=PathSettings)
