"""Comments waiting to be read from the sandbox: what the platforms' read APIs would list.

A test or `switchboard up`'s demo adds comments with POST /_sandbox/inbound; the read routes
in `services/sandbox/reads.py` list them in each platform's own response shape, so the
ingest pollers run against the sandbox exactly as they would against the platforms.
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Platform = Literal["twitter", "facebook", "instagram", "youtube", "linkedin", "flickr"]
MAX_INBOUND = 50_000
_X_EPOCH_MS = 1288834974657  # X's snowflake epoch


class InboundIn(BaseModel):
    """One comment to list, addressed to an account or post."""

    model_config = ConfigDict(extra="forbid")

    platform: Platform
    target: str = Field(
        min_length=1,
        max_length=300,
        description="What a poller asks for: X user id, Facebook page id, Instagram account "
        "id, YouTube channel id, LinkedIn post URN, Flickr photo id.",
    )
    text: str = Field(min_length=1, max_length=5000)
    account: str = Field(
        default="account", max_length=200, description="Handle of the addressed account (X)."
    )
    author_id: str = Field(default="sandbox-user", min_length=1, max_length=200)
    author_name: str = Field(default="Sandbox User", max_length=200)
    created_at: datetime | None = Field(
        default=None, description="Creation time (default: now); timezone-aware."
    )


@dataclass(frozen=True)
class Inbound:
    """A listed comment with the id and time the sandbox gave it."""

    seq: int
    item_id: str
    spec: InboundIn
    created_at: datetime


@dataclass
class InboundState:
    """Every listed comment, oldest first, behind one lock."""

    items: list[Inbound] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _seq: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def add(self, spec: InboundIn, *, now: datetime) -> Inbound:
        """List one more comment (the oldest are dropped past MAX_INBOUND)."""
        with self.lock:
            seq = next(self._seq)
            # Snowflake-like ids from the time of adding: they grow across sandbox restarts,
            # so a poller's since_id cursor from an earlier run never hides new comments.
            snowflake = (int(now.timestamp() * 1000) - _X_EPOCH_MS) << 22 | (seq & 0x3FFFFF)
            at = (spec.created_at or now).astimezone(UTC)
            item = Inbound(seq, str(snowflake), spec, at)
            self.items.append(item)
            del self.items[:-MAX_INBOUND]
            return item

    def listed(self, platform: str, target: str) -> list[Inbound]:
        """The comments of one platform and target, oldest first."""
        with self.lock:
            return [
                i for i in self.items if i.spec.platform == platform and i.spec.target == target
            ]

    def reset(self) -> None:
        """Forget every comment."""
        with self.lock:
            self.items.clear()
