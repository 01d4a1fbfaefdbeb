"""The one path every input takes: parse, normalise, produce; or dead-letter with the reason.

Webhooks, pollers and replay all call `ingest_payload`, so they behave the same way.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from schemas import DeadLetter, InboxItem, Platform
from schemas.registry import ChannelRegistry
from services.ingest.domain import NormaliseError, normalise

logger = logging.getLogger(__name__)


class InboxPublisher(Protocol):
    """Where ingest sends what it read: services.common.kafka_publisher.KafkaPublisher."""

    def publish_items(self, items: Sequence[InboxItem]) -> None:
        """Produce items keyed by channel_id; return only once all are acknowledged."""

    def publish_dead_letter(self, letter: DeadLetter) -> None:
        """Produce a dead letter keyed by source; return once acknowledged."""

    def close(self) -> None:
        """Flush and release the connection."""


@dataclass(frozen=True)
class Outcome:
    """What happened to one payload."""

    items: list[InboxItem] = field(default_factory=list)
    dead_letter: DeadLetter | None = None
    published: list[InboxItem] = field(default_factory=list)
    """The items produced: `items` less those the caller's `keep` left out (seen before)."""


class PayloadError(ValueError):
    """The bytes are not a JSON document this service will read."""


def parse_json(raw: bytes) -> Any:
    """Parse a JSON body; ValueError (JSONDecodeError, UnicodeDecodeError) when it is not.

    Nesting past the interpreter's recursion limit is a PayloadError too, not a crash.
    """
    try:
        return json.loads(raw)
    except RecursionError as err:
        raise PayloadError("payload is nested too deeply to parse") from err


def normalise_bytes(
    *,
    platform: Platform,
    raw: bytes,
    registry: ChannelRegistry,
    source: str,
    now: datetime,
    channel: str | None = None,
    received_at: datetime | None = None,
    parsed: Any = None,
) -> Outcome:
    """Normalise without producing: items, or the dead letter saying why not."""
    try:
        payload = parsed if parsed is not None else parse_json(raw)
        items = normalise(
            platform, payload, registry=registry, channel=channel, received_at=received_at or now
        )
    except (NormaliseError, ValueError) as err:
        letter = DeadLetter.from_error(
            source=source, platform=platform, error=err, raw=raw, now=now
        )
        return Outcome(dead_letter=letter)
    return Outcome(items=items)


def ingest_payload(
    *,
    platform: Platform,
    raw: bytes,
    registry: ChannelRegistry,
    publisher: InboxPublisher,
    source: str,
    now: datetime,
    channel: str | None = None,
    received_at: datetime | None = None,
    parsed: Any = None,
    keep: Callable[[InboxItem], bool] | None = None,
) -> Outcome:
    """Normalise and produce; a bad payload is produced as a dead letter instead.

    `keep` leaves out items the caller has already produced (a poller's cursor, replay's
    seen ids). Raises PublishError when the broker does not acknowledge (nothing is
    accepted then).
    """
    outcome = normalise_bytes(
        platform=platform,
        raw=raw,
        registry=registry,
        source=source,
        now=now,
        channel=channel,
        received_at=received_at,
        parsed=parsed,
    )
    if outcome.dead_letter is not None:
        logger.warning(
            "dead-lettered %s payload from %s: %s",
            platform.value,
            source,
            outcome.dead_letter.error,
        )
        publisher.publish_dead_letter(outcome.dead_letter)
        return outcome
    fresh = outcome.items if keep is None else [i for i in outcome.items if keep(i)]
    if fresh:
        publisher.publish_items(fresh)
    return Outcome(items=outcome.items, published=fresh)
