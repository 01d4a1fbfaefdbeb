"""Settings of the local supervisor (`switchboard up`)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class UpSettings(BaseSettings):
    """Where the local services listen; all on loopback."""

    model_config = SettingsConfigDict(env_prefix="SWITCHBOARD_UP_", extra="ignore")

    host: str = Field(default="127.0.0.1", description="Interface every service binds to.")
    api_port: int = Field(default=8000, description="Queue API port.")
    ingest_port: int = Field(default=8001, description="Webhook receiver port.")
    router_web_port: int = Field(default=6066, description="Router worker's web (health) port.")
    sandbox_port: int = Field(default=8002, description="Platform sandbox port.")
    sla_port: int = Field(default=6067, description="SLA timer's /ready and /metrics port.")
    ready_timeout_s: float = Field(default=120.0, description="Per-service readiness timeout.")
