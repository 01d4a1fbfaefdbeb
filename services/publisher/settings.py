"""Settings of the publisher (`SWITCHBOARD_PUBLISHER_*`), composed with the shared ones."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.common.settings import KafkaSettings, PathSettings


class PublisherSettings(BaseSettings):
    """How the publisher reaches the platforms and how hard it tries."""

    model_config = SettingsConfigDict(env_prefix="SWITCHBOARD_PUBLISHER_", extra="ignore")

    group_id: str = Field(
        default="switchboard-publisher",
        description="Consumer group on outbox.replies.v1 and inbox.work.v1 (the topic prefix "
        "is put in front of it).",
    )
    store_path: Path | None = Field(
        default=None,
        description="SQLite file recording every attempt; default <data dir>/publisher.db.",
    )
    store_synchronous: Literal["FULL", "NORMAL"] = Field(
        default="FULL",
        description="SQLite synchronous mode of the attempt store: FULL survives power loss "
        "(one fsync per commit); NORMAL survives a process crash only, and is much faster.",
    )
    secrets_file: Path | None = Field(
        default=None, description="JSON/YAML file of per-account credentials (never in the repo)."
    )
    credentials_json: SecretStr | None = Field(
        default=None,
        description="The same mapping as the secrets file, inline (wins per account).",
    )
    x_api_base: str = Field(default="https://api.x.com", description="X API base URL.")
    facebook_api_base: str = Field(
        default="https://graph.facebook.com", description="Graph API base URL for Facebook."
    )
    instagram_api_base: str = Field(
        default="https://graph.facebook.com", description="Graph API base URL for Instagram."
    )
    youtube_api_base: str = Field(
        default="https://www.googleapis.com", description="YouTube Data API base URL."
    )
    linkedin_api_base: str = Field(
        default="https://api.linkedin.com", description="LinkedIn API base URL."
    )
    flickr_api_base: str = Field(
        default="https://api.flickr.com", description="Flickr API base URL."
    )
    graph_version: str = Field(default="v21.0", description="Graph API version in the path.")
    linkedin_version: str = Field(
        default="202411", pattern=r"^\d{6}$", description="LinkedIn-Version header (YYYYMM)."
    )
    permalink_base: str | None = Field(
        default=None,
        description="Build permalinks as <base>/<platform>/<id> (the sandbox's pages) instead of "
        "the platforms' own links.",
    )
    request_timeout_s: float = Field(default=20.0, gt=0, description="Per-request timeout.")
    max_requests: int = Field(
        default=6, ge=1, le=20, description="Requests per reply before it fails (retries included)."
    )
    backoff_base_s: float = Field(default=1.0, gt=0, description="First retry delay (doubles).")
    backoff_cap_s: float = Field(default=60.0, gt=0, description="Longest backoff delay.")
    max_wait_s: float = Field(
        default=900.0,
        gt=0,
        description="Longest wait for one retry or rate-limit pause; longer ones fail the reply "
        "as rate_limited (retryable by a person).",
    )
    meta_usage_pause_s: float = Field(
        default=300.0,
        gt=0,
        description="Pause for an account whose Meta usage header reports 100% without an "
        "estimated time to regain access.",
    )
    offset_reset: Literal["earliest", "latest"] = Field(
        default="earliest",
        description="Where a new consumer group starts: earliest sends every reply still on "
        "the topic (nothing lost); latest skips what was there before the publisher's first "
        "start.",
    )
    drain_s: float = Field(
        default=10.0, ge=0, description="On stop, how long requests under way may finish."
    )
    max_in_flight: int = Field(
        default=1000, ge=1, description="Records fetched but not finished before fetching pauses."
    )

    def group(self, topic_prefix: str) -> str:
        """The consumer group, isolated per topic prefix like the projector's."""
        return f"{topic_prefix}{self.group_id}"


class PublisherConfig(BaseModel):
    """Everything the publisher is built from."""

    publisher: PublisherSettings
    kafka: KafkaSettings
    paths: PathSettings

    @classmethod
    def from_env(cls) -> PublisherConfig:
        """Read every part from the environment."""
        return cls(publisher=PublisherSettings(), kafka=KafkaSettings(), paths=PathSettings())
