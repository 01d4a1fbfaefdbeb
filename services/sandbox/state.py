"""What the sandbox received, what it posted, and the faults it was told to inject."""

from __future__ import annotations

import itertools
import threading
from collections import deque
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

PLATFORMS = ("twitter", "facebook", "instagram", "youtube", "linkedin", "flickr")
FaultKind = Literal["auth", "permission", "gone", "server", "throttle", "timeout", "hang"]


class Fault(BaseModel):
    """An answer to give instead of the normal one, `count` times, to matching requests.

    auth / permission / gone: the platform's own error for an expired token, a missing
    permission, a deleted parent. server: a 5xx. throttle: the platform's rate-limit answer
    with its headers. timeout: wait `delay_s`, post nothing, answer 504 (the request is lost).
    hang: post the reply, then wait `delay_s` before answering (accepted, answer late).
    """

    model_config = ConfigDict(extra="forbid")

    platform: Literal["twitter", "facebook", "instagram", "youtube", "linkedin", "flickr", "*"]
    kind: FaultKind
    count: int = Field(default=1, ge=1, le=10_000, description="How many requests it hits.")
    delay_s: float = Field(default=5.0, ge=0, le=300, description="timeout / hang delay.")
    retry_after_s: int = Field(default=1, ge=0, le=3600, description="throttle: wait to say.")
    moderation: bool = Field(default=False, description="Hit moderation requests, not replies.")


@dataclass
class Received:
    """One request as the sandbox saw it (credentials reduced to their scheme)."""

    seq: int
    platform: str
    operation: str  # reply, hide, unhide, delete
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    auth_scheme: str | None
    body: Any
    status: int = 0
    error: str | None = None
    post_id: str | None = None
    fault: str | None = None


@dataclass
class Post:
    """A reply the sandbox accepted."""

    platform: str
    post_id: str
    in_reply_to: str
    text: str
    account: str  # a digest of the credential, so duplicates are per account
    seq: int


@dataclass
class SandboxState:
    """Everything behind one lock: handlers are short and the sandbox is a test tool."""

    max_recorded: int = 20_000
    received: deque[Received] = field(default_factory=deque)
    posts: list[Post] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    removed: set[str] = field(default_factory=set)
    nonces: set[str] = field(default_factory=set)
    _seq: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_seq(self) -> int:
        """A new sequence number (also used in platform ids)."""
        return next(self._seq)

    def record(self, received: Received) -> None:
        """Keep a request, dropping the oldest beyond the bound."""
        with self.lock:
            self.received.append(received)
            while len(self.received) > self.max_recorded:
                self.received.popleft()

    def take_fault(self, platform: str, *, moderation: bool) -> Fault | None:
        """The first matching fault, consumed once."""
        with self.lock:
            for i, fault in enumerate(self.faults):
                if fault.platform in (platform, "*") and fault.moderation == moderation:
                    if fault.count <= 1:
                        del self.faults[i]
                    else:
                        self.faults[i] = fault.model_copy(update={"count": fault.count - 1})
                    return fault
        return None

    def duplicate(self, platform: str, account: str, text: str) -> bool:
        """Whether this account already posted exactly this text here."""
        with self.lock:
            return any(
                p.platform == platform and p.account == account and p.text == text
                for p in self.posts
            )

    def add_post(self, post: Post) -> None:
        """Remember an accepted reply."""
        with self.lock:
            self.posts.append(post)

    def requests(self, platform: str | None) -> list[dict[str, Any]]:
        """Recorded requests, oldest first."""
        with self.lock:
            return [asdict(r) for r in self.received if platform in (None, r.platform)]

    def reset(self) -> None:
        """Forget everything."""
        with self.lock:
            self.received.clear()
            self.posts.clear()
            self.faults.clear()
            self.removed.clear()
            self.nonces.clear()
