"""Opaque cursors: callers pass them back unchanged; anything else is a specific 422."""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime, timedelta

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class CursorError(ValueError):
    """The cursor was not one this API issued."""


def _encode(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _decode(cursor: str) -> str:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        return base64.urlsafe_b64decode(padded.encode("ascii")).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError) as err:
        raise CursorError("cursor is not one this API issued") from err


def page_cursor(*, sort_at: datetime, item_id: int) -> str:
    """Cursor after the item at (sort_at, id) in a work list."""
    micros = (sort_at - _EPOCH) // timedelta(microseconds=1)
    return _encode(f"p1|{micros}|{item_id}")


def read_page_cursor(cursor: str) -> tuple[datetime, int]:
    """(sort_at, id) of a work-list cursor."""
    parts = _decode(cursor).split("|")
    try:
        if len(parts) != 3 or parts[0] != "p1":
            raise ValueError
        at = _EPOCH + timedelta(microseconds=int(parts[1]))
        return at, int(parts[2])
    except (ValueError, OverflowError) as err:
        raise CursorError("cursor is not one this API issued") from err


def change_cursor(seq: int) -> str:
    """Cursor after change number `seq` of a channel feed."""
    return _encode(f"c1|{seq}")


def read_change_cursor(cursor: str) -> int:
    """Change number of a channel-feed cursor."""
    parts = _decode(cursor).split("|")
    if len(parts) != 2 or parts[0] != "c1" or not parts[1].isdigit() or len(parts[1]) > 18:
        raise CursorError("cursor is not one this API issued")
    return int(parts[1])
