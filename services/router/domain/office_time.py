"""Office-time arithmetic: how much open time lies between two instants, and where N ends.

Pure. Every instant is timezone-aware (naive ones are refused) and all arithmetic is done
in UTC: Python subtracts two datetimes that share a tzinfo by their wall clocks, which is
an hour wrong across a clock change, so no wall-clock value is ever subtracted here.

Conventions (docs/router.md, "Office time"):
- `office_time_between(start, end)` is antisymmetric: a reversed span gives the negative of
  the forward one, so `between(a, b) + between(b, c) == between(a, c)` for any order.
- `add_office_time(start, n)` is the EARLIEST instant `t` with `between(start, t) == n`:
  adding 0 returns `start` itself (even out of hours); a target that uses up a window
  exactly ends at that window's closing instant, not at the next opening.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from services.router.domain.calendar import (
    CalendarNeverOpensError,
    OfficeCalendar,
    require_aware,
)

# Longest span reasoned about, in days: bounds the work a hostile argument can ask for.
MAX_SPAN_DAYS = 20 * 366
_ZERO = timedelta(0)


class SpanTooLongError(ValueError):
    """The span is longer than MAX_SPAN_DAYS."""


def _utc(at: datetime) -> datetime:
    return require_aware(at).astimezone(UTC)


def _spans(cal: OfficeCalendar, first: date, last: date) -> Iterator[tuple[datetime, datetime]]:
    """Open spans (UTC) of every local day from `first` to `last` inclusive, in order."""
    if (last - first).days > MAX_SPAN_DAYS:
        raise SpanTooLongError(f"span longer than {MAX_SPAN_DAYS} days")
    day = first
    while day <= last:
        for start, end in cal.open_spans(day):
            yield start.astimezone(UTC), end.astimezone(UTC)
        day += timedelta(days=1)


def office_time_between(cal: OfficeCalendar, start: datetime, end: datetime) -> timedelta:
    """Open time of `cal` in [start, end); negative when `end` is before `start`."""
    s, e = _utc(start), _utc(end)
    if e < s:
        return -office_time_between(cal, e, s)
    total = _ZERO
    first, last = s.astimezone(cal.zone).date(), e.astimezone(cal.zone).date()
    for w_start, w_end in _spans(cal, first, last):
        overlap = min(w_end, e) - max(w_start, s)
        if overlap > _ZERO:
            total += overlap
    return total


def office_seconds_between(cal: OfficeCalendar, start: datetime, end: datetime) -> float:
    """`office_time_between` in seconds (whole seconds unless the instants carry fractions)."""
    return office_time_between(cal, start, end).total_seconds()


def add_office_time(cal: OfficeCalendar, start: datetime, amount: timedelta) -> datetime:
    """The earliest instant that lies `amount` of open time after `start`, in `cal`'s zone.

    `amount` must not be negative. Raises CalendarNeverOpensError when the calendar does not
    provide that much open time within MAX_SPAN_DAYS.
    """
    s = _utc(start)
    if amount < _ZERO:
        raise ValueError("office time to add must not be negative")
    if amount == _ZERO:
        return s.astimezone(cal.zone)
    remaining = amount
    first = s.astimezone(cal.zone).date()
    last = first + timedelta(days=MAX_SPAN_DAYS)
    for w_start, w_end in _spans(cal, first, last):
        if w_end <= s:
            continue
        begin = max(w_start, s)
        available = w_end - begin
        if available >= remaining:
            return (begin + remaining).astimezone(cal.zone)
        remaining -= available
    raise CalendarNeverOpensError(
        f"calendar {cal.name!r} has no {amount} of open time within {MAX_SPAN_DAYS} days"
    )
