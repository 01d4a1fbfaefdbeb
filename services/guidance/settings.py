"""Reply-guidance settings (prefix SWITCHBOARD_GUIDANCE_), built in an entrypoint."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.common.settings import PathSettings
from services.guidance.loader import DEFAULT_GUIDANCE_PATH


class GuidanceSettings(BaseSettings):
    """Where the guidance lists live."""

    model_config = SettingsConfigDict(env_prefix="SWITCHBOARD_GUIDANCE_", extra="ignore")

    config_path: Path = Field(
        default=DEFAULT_GUIDANCE_PATH,
        description="Guidance lists YAML (glossary, allowlists, words, watch list, election "
        "periods, per-platform limits).",
    )


class GuidanceServiceSettings(BaseModel):
    """Everything the checker is built from: its lists and the channel registry's path."""

    guidance: GuidanceSettings = Field(default_factory=GuidanceSettings)
    paths: PathSettings = Field(default_factory=PathSettings)
