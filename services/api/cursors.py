"""Opaque cursors: callers pass them back unchanged; anything else is a specific 400.

Only what `page_cursor` and `change_cursor` write is read back: any other text, however it
decodes, is a CursorError, so no crafted cursor reaches int() quirks or the database.
"""

from __future__ import annotations

import base64
import binascii
import re
from datetime import UTC, datetime, timedelta

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# What this API writes into a cursor: ASCII digits, at most 18 (below 2**63, so every value
# fits a BIGINT). int() alone would also take ' 1_0 ', '+1', '-5' and non-ASCII digits.
_NUMBER = re.compile(r"[0-9]{1,18}")


def _number(text: str) -> int:
    if not _NUMBER.fullmatch(text):
        raise CursorError("cursor is not one this API issued")
    return int(text)


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
    if len(parts) != 3 or parts[0] != "p1":
        raise CursorError("cursor is not one this API issued")
    micros, item_id = _number(parts[1]), _number(parts[2])
    try:
        return _EPOCH + timedelta(microseconds=micros), item_id
    except OverflowError as err:
        raise CursorError("cursor is not one this API issued") from err


def change_cursor(seq: int) -> str:
    """Cursor after change number `seq` of a channel feed."""
    return _encode(f"c1|{seq}")


def read_change_cursor(cursor: str) -> int:
    """Change number of a channel-feed cursor."""
    parts = _decode(cursor).split("|")
    if len(parts) != 2 or parts[0] != "c1":
        raise CursorError("cursor is not one this API issued")
    return _number(parts[1])
