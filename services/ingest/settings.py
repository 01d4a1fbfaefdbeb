"""Ingest settings: webhook secrets, the HTTP server, pollers. Built in main, passed down.

Secrets are SecretStr so they never appear in reprs or logs; an unset secret makes that
platform's webhook refuse every POST (fail closed) rather than accept unsigned payloads.
"""

from __future__ import annotations

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from schemas import Platform
from services.common.settings import KafkaSettings, PathSettings


class MetaSettings(BaseSettings):
    """Facebook and Instagram webhooks (one Meta app)."""

    model_config = SettingsConfigDict(env_prefix="SWITCHBOARD_META_", extra="ignore")

    app_secret: SecretStr | None = Field(
        default=None, description="Meta app secret: verifies X-Hub-Signature-256."
    )
    verify_token: SecretStr | None = Field(
        default=None, description="Token Meta echoes in the hub.challenge verification GET."
    )


class XSettings(BaseSettings):
    """X/Twitter Account Activity webhook."""

    model_config = SettingsConfigDict(env_prefix="SWITCHBOARD_X_", extra="ignore")

    consumer_secret: SecretStr | None = Field(
        default=None, description="X app consumer secret: CRC responses and payload signatures."
    )


class PollTarget(BaseModel):
    """One thing to poll: which platform, for which registry channel, and what to ask for."""

    platform: Platform
    channel: str = Field(description="Registry id (or account) the items are addressed to.")
    target: str = Field(
        description="YouTube channel id, Flickr photo id, LinkedIn post URN, X user id, "
        "Facebook page id or Instagram professional account id."
    )


class IngestSettings(BaseSettings):
    """HTTP server, publishing and polling (prefix SWITCHBOARD_INGEST_)."""

    model_config = SettingsConfigDict(env_prefix="SWITCHBOARD_INGEST_", extra="ignore")

    host: str = Field(default="127.0.0.1", description="Interface `ingest serve` listens on.")
    port: int = Field(default=8001, ge=1, le=65535, description="Port `ingest serve` listens on.")
    max_body_bytes: int = Field(
        default=1024 * 1024, ge=1024, description="Largest webhook body accepted (413 above)."
    )
    publish_timeout_s: float = Field(
        default=10.0, gt=0, description="How long a request waits for the broker's acks."
    )
    poll_interval_s: float = Field(
        default=300.0, gt=0, description="Pause between polling rounds of `ingest poll`."
    )
    poll_max_attempts: int = Field(
        default=5, ge=1, description="Attempts per request on 429/5xx/network errors."
    )
    poll_backoff_s: float = Field(
        default=2.0, gt=0, description="First retry delay; doubles per attempt (capped at 300s)."
    )
    poll_targets: list[PollTarget] = Field(
        default_factory=list,
        description='JSON list, e.g. [{"platform":"youtube","channel":'
        '"youtube:healtheducationengland","target":"UC..."}].',
    )
    youtube_api_key: SecretStr | None = Field(default=None, description="YouTube Data API key.")
    flickr_api_key: SecretStr | None = Field(default=None, description="Flickr API key.")
    linkedin_token: SecretStr | None = Field(
        default=None, description="LinkedIn OAuth token with r_organization_social."
    )
    x_bearer_token: SecretStr | None = Field(
        default=None, description="X API v2 bearer token (mentions timeline)."
    )
    facebook_page_token: SecretStr | None = Field(
        default=None,
        description="Facebook Page access token (pages_read_engagement): comments backfill.",
    )
    instagram_token: SecretStr | None = Field(
        default=None,
        description="Instagram access token (instagram_manage_comments): comments backfill.",
    )
    graph_version: str = Field(
        default="v21.0", pattern=r"^v\d+\.\d+$", description="Graph API version the backfill reads."
    )
    backfill_recent: int = Field(
        default=25,
        ge=1,
        le=100,
        description="Recent posts (Facebook) or media (Instagram) whose comments one backfill "
        "round reads.",
    )
    poll_max_pages: int = Field(
        default=50,
        ge=1,
        description="Pages one round reads per target; a longer backlog resumes next round.",
    )
    sandbox_url: str | None = Field(
        default=None,
        pattern=r"^https?://[^/\s]+$",
        description="The local platform sandbox (`switchboard sandbox serve`), scheme://host:port. "
        "Set, pollers read <sandbox_url>/<platform prefix><platform path> (prefixes x, "
        "facebook, instagram, google, linkedin, flickr) instead of the platforms.",
    )
    health_dir: str | None = Field(
        default=None,
        description="Folder for per-process ingestion health files (default: "
        "<SWITCHBOARD_DATA_DIR>/ingest/health).",
    )


class IngestServiceSettings(BaseSettings):
    """Everything ingest's commands are built from, composed once."""

    model_config = SettingsConfigDict(extra="ignore")

    ingest: IngestSettings = Field(default_factory=IngestSettings)
    meta: MetaSettings = Field(default_factory=MetaSettings)
    x: XSettings = Field(default_factory=XSettings)
    kafka: KafkaSettings = Field(default_factory=KafkaSettings)
    paths: PathSettings = Field(default_factory=PathSettings)
