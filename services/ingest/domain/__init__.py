"""Pure normalisers: each platform's own payloads in, InboxItem events out.

No Kafka, HTTP or clock here: the caller passes the registry, the channel a polled payload
belongs to, and the time it received the payload (used only when the platform gives none).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from schemas import InboxItem, Platform
from schemas.registry import ChannelRegistry
from services.ingest.domain import facebook, flickr, instagram, linkedin, twitter, youtube
from services.ingest.domain.common import Context
from services.ingest.domain.errors import NormaliseError, UnknownPlatformError

_NORMALISERS: dict[Platform, Callable[[Context, Any], list[InboxItem]]] = {
    Platform.TWITTER: twitter.normalise,
    Platform.FACEBOOK: facebook.normalise,
    Platform.INSTAGRAM: instagram.normalise,
    Platform.YOUTUBE: youtube.normalise,
    Platform.FLICKR: flickr.normalise,
    Platform.LINKEDIN: linkedin.normalise,
}


def parse_platform(name: str) -> Platform:
    """The Platform a name means, or UnknownPlatformError listing the choices."""
    try:
        return Platform(name.strip().lower())
    except ValueError as err:
        raise UnknownPlatformError(name) from err


def normalise(
    platform: Platform,
    raw: Any,
    *,
    registry: ChannelRegistry,
    channel: str | None = None,
    received_at: datetime | None = None,
) -> list[InboxItem]:
    """Every inbox item in one raw platform payload (already parsed from JSON).

    Raises NormaliseError naming platform, field and problem for malformed or
    unrecognised input. `received_at` must be timezone-aware when given.
    """
    if received_at is not None and received_at.tzinfo is None:
        raise ValueError("received_at must be timezone-aware")
    ctx = Context(platform=platform, registry=registry, channel=channel, received_at=received_at)
    return _NORMALISERS[platform](ctx, raw)


__all__ = ["NormaliseError", "UnknownPlatformError", "normalise", "parse_platform"]
