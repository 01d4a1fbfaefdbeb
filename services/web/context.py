"""What the pages need beyond the API's context: sign-in limits, presence, the checker."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from schemas.guidance import ReplyChecker
from services.web.presence import Presence
from services.web.ratelimit import SignInLimiter
from services.web.settings import WebSettings


@dataclass
class WebContext:
    """Per-process state of the pages; built once by the app factory (tests pass their own)."""

    settings: WebSettings = field(default_factory=WebSettings)
    checker: ReplyChecker | None = None
    presence: Presence = field(default_factory=Presence)
    limiter: SignInLimiter | None = None

    def __post_init__(self) -> None:
        if self.limiter is None:
            s = self.settings
            self.limiter = SignInLimiter.default(
                account=s.signin_account_limit,
                client=s.signin_client_limit,
                window=timedelta(seconds=s.signin_window_s),
            )
