"""The `seen` table's values and when an entry may be forgotten.

An item id must stay in `seen` for as long as the item could be delivered again: a replay of
`inbox.items.v1` can only bring back records the topic still retains. Once an entry is older
than the topic's retention, keeping it protects against nothing.

Value format: `b"<status> <seen_at epoch ms> <partition>"` (e.g. `b"queued 1763887200000 3"`).
Pure: `now` is always passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from services.router.domain.calendar import require_aware

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class BadSeenValueError(ValueError):
    """A `seen` value is not in the format above."""


@dataclass(frozen=True)
class SeenMark:
    """A decoded `seen` value."""

    status: str
    seen_at: datetime
    partition: int


def encode_seen(*, status: str, seen_at: datetime, partition: int) -> bytes:
    """The `seen` value for an item first routed with `status` at `seen_at`."""
    # Integer arithmetic: float timestamps can round 123 ms down to 122.
    millis = (require_aware(seen_at) - _EPOCH) // timedelta(milliseconds=1)
    return f"{status} {millis} {partition}".encode()


def decode_seen(value: bytes) -> SeenMark:
    """Read a `seen` value; raise BadSeenValueError for anything else."""
    parts = value.split()
    try:
        if len(parts) == 3:
            seen_at = _EPOCH + timedelta(milliseconds=int(parts[1]))
            return SeenMark(status=parts[0].decode(), seen_at=seen_at, partition=int(parts[2]))
    except (UnicodeDecodeError, ValueError, OverflowError, OSError) as err:
        raise BadSeenValueError(f"unreadable seen value {value!r}: {err}") from err
    raise BadSeenValueError(f"unreadable seen value {value!r}")


def seen_expired(seen_at: datetime, *, now: datetime, retention: timedelta) -> bool:
    """True once `seen_at` is more than `retention` before `now` (the item cannot come back).

    Exactly `retention` old is still kept: the boundary errs on the side of remembering.
    """
    return require_aware(now) - require_aware(seen_at) > retention
