"""Settings of the platform sandbox (`SWITCHBOARD_SANDBOX_*`)."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class SandboxSettings(BaseSettings):
    """The sandbox's own OAuth 1.0a keys (what it verifies Flickr signatures with) and limits."""

    model_config = SettingsConfigDict(env_prefix="SWITCHBOARD_SANDBOX_", extra="ignore")

    flickr_consumer_key: str = Field(
        default="sandbox-flickr-key", description="Consumer key the sandbox accepts."
    )
    flickr_consumer_secret: SecretStr | None = Field(
        default=None, description="Consumer secret it verifies signatures with (unset: refuses)."
    )
    flickr_token: str = Field(
        default="sandbox-flickr-token", description="Access token the sandbox accepts."
    )
    flickr_token_secret: SecretStr | None = Field(
        default=None, description="Token secret it verifies signatures with (unset: refuses)."
    )
    max_recorded: int = Field(
        default=20_000, ge=100, description="Requests kept for GET /_sandbox/requests (oldest go)."
    )
    oauth_max_skew_s: int = Field(
        default=300, ge=1, description="How far an oauth_timestamp may be from the sandbox clock."
    )
