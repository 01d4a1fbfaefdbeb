"""Settings of the team pages (prefix SWITCHBOARD_WEB_)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class WebSettings(BaseSettings):
    """Sessions, sign-in limits and live updates of the pages."""

    model_config = SettingsConfigDict(env_prefix="SWITCHBOARD_WEB_", extra="ignore")

    session_hours: float = Field(
        default=10.0, gt=0, le=24 * 30, description="How long a sign-in lasts."
    )
    secure_cookies: bool | None = Field(
        default=None,
        description="Mark cookies Secure. Default: when the request came over https (set true "
        "behind a TLS-terminating proxy that does not say so).",
    )
    signin_account_limit: int = Field(
        default=5, ge=1, description="Failed sign-ins per account per window."
    )
    signin_client_limit: int = Field(
        default=20, ge=1, description="Failed sign-ins per client address per window."
    )
    signin_window_s: float = Field(
        default=900.0, gt=0, description="The sign-in limits' window, in seconds."
    )
    live_poll_s: float = Field(
        default=1.0,
        gt=0,
        le=60,
        description="How often a live page's event stream checks the database for changes.",
    )
    live_max_s: float = Field(
        default=300.0,
        gt=0,
        description="How long one event stream stays open; the browser reconnects after.",
    )
