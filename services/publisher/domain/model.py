"""Values the publisher's core works with: requests to build, answers to classify."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from schemas.enums import Platform
from schemas.work import FailureClass


@dataclass(frozen=True)
class ReplyTarget:
    """What a reply is posted under, and as whom; built from a Reply and the account."""

    platform: Platform
    channel_id: str
    in_reply_to: str
    text: str
    thread_id: str | None = None
    actor_urn: str | None = None  # LinkedIn: the organisation the comment is posted as


@dataclass(frozen=True)
class PlatformRequest:
    """One HTTP request, without credentials: the adapter adds the account's auth."""

    method: str
    path: str  # appended to the platform's base URL
    params: dict[str, str] = field(default_factory=dict)
    json: dict[str, Any] | None = None
    form: dict[str, str] | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Answer:
    """What the platform said: status, headers (lower-case names) and the decoded body."""

    status: int
    headers: dict[str, str]
    body: Any  # decoded JSON, or the text when it was not JSON


@dataclass(frozen=True)
class Posted:
    """The platform accepted the request."""

    platform_id: str
    permalink: str | None = None


@dataclass(frozen=True)
class Refused:
    """The platform refused or failed the request, classified."""

    failure: FailureClass
    error: str
    retryable: bool  # a person retrying later may succeed
    transient: bool = False  # worth retrying automatically, within this delivery
    retry_after_s: float | None = None  # the platform said how long to wait
    duplicate: bool = False  # the platform says this exact content is already posted
    unanswered: bool = False  # sent, but no answer came: the platform may have acted on it


Result = Posted | Refused
