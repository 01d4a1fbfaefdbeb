"""The one strict reading of an ISO-8601 instant: a date-time that carries its UTC offset.

Naive times are refused rather than guessed (time is data): every caller says which input
was wrong in its own terms, from `InstantError.missing_offset`.
"""

from __future__ import annotations

from datetime import datetime


class InstantError(ValueError):
    """Not an ISO-8601 date-time (`missing_offset` False), or one without an offset (True)."""

    def __init__(self, text: str, *, missing_offset: bool) -> None:
        self.text = text
        self.missing_offset = missing_offset
        what = "has no UTC offset" if missing_offset else "is not ISO 8601"
        super().__init__(f"{text!r} {what}")


def parse_instant(text: str) -> datetime:
    """The aware datetime `text` names ('Z', '+00:00' and '+0000' offsets all read)."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError as err:
        raise InstantError(text, missing_offset=False) from err
    if value.tzinfo is None or value.utcoffset() is None:
        raise InstantError(text, missing_offset=True)
    return value
