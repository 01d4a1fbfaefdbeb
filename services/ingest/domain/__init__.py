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
from services.ingest.domain.errors import (
    UNEXPECTED_SHAPE,
    NormaliseError,
    UnknownPlatformError,
    unexpected_shape,
)
from services.ingest.domain.readers import Context

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
    unrecognised input, and nothing else: an exception the platform's normaliser did not
    anticipate (a field of an unexpected type, nesting past the recursion limit) becomes a
    NormaliseError naming the part of the payload being read. `received_at` must be
    timezone-aware when given.
    """
    if received_at is not None and received_at.tzinfo is None:
        raise ValueError("received_at must be timezone-aware")
    if channel is not None and not isinstance(channel, str):
        raise NormaliseError(
            platform, "channel", f"expected a string, got {type(channel).__name__}"
        )
    ctx = Context(platform=platform, registry=registry, channel=channel, received_at=received_at)
    try:
        return _NORMALISERS[platform](ctx, raw)
    except NormaliseError:
        raise
    except UNEXPECTED_SHAPE as err:
        raise unexpected_shape(platform, err) from err


__all__ = ["NormaliseError", "UnknownPlatformError", "normalise", "parse_platform"]
