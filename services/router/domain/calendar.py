"""Office calendars: is a queue open at an instant, and when does it next open.

Pure: every function takes the instant it reasons about; nothing reads the clock. Windows
are wall-clock times in the calendar's timezone, so DST changes move them with the clocks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

from schemas.registry import CalendarSpec, ChannelRegistry

# A calendar that has not opened within two years never will (no windows at all).
_HORIZON_DAYS = 2 * 366
# Days remembered per calendar before the memo starts again (a few years of days).
_DAY_CACHE_MAX = 4096
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class NaiveDatetimeError(ValueError):
    """A naive datetime was given where an instant (timezone-aware) is required."""


class CalendarNeverOpensError(ValueError):
    """The calendar has no opening within the search horizon."""


@dataclass(frozen=True)
class CalendarVerdict:
    """Whether a calendar is open at an instant, and why, for people."""

    open: bool
    detail: str


def require_aware(now: datetime) -> datetime:
    """Return `now` unchanged, or raise when it has no timezone."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise NaiveDatetimeError(f"{now.isoformat()} has no timezone: instants must be aware")
    return now


def local_at(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The instant a wall clock in `zone` shows `day` `at`; times in a DST gap move forward."""
    naive = datetime.combine(day, at, tzinfo=zone)
    # Round-tripping through UTC turns a non-existent wall time into the real instant.
    return naive.astimezone(UTC).astimezone(zone)


class OfficeCalendar:
    """A queue's calendar: weekly windows in a timezone, minus holidays and closure dates."""

    def __init__(self, spec: CalendarSpec, *, name: str = "office") -> None:
        self.spec = spec
        self.name = name
        self.zone = spec.zone()
        self._closures = frozenset(spec.closures)
        # Holidays are computed once per year and kept: routing asks about the same few years.
        self._holiday_years: dict[int, dict[date, str]] = {}
        # Per-day answers (why closed, window instants) are asked for on every item and
        # never change for a given day; kept per calendar, bounded by _DAY_CACHE_MAX.
        self._days: dict[date, tuple[str | None, tuple[tuple[datetime, datetime], ...]]] = {}

    def holiday(self, day: date) -> str | None:
        """Name of the public holiday on `day`, if the calendar observes one."""
        source = self.spec.bank_holidays
        if source is None:
            return None
        year = self._holiday_years.get(day.year)
        if year is None:
            found = holidays.country_holidays(source.country, subdiv=source.subdiv, years=day.year)
            year = {d: str(n) for d, n in found.items()}
            self._holiday_years[day.year] = year
        return year.get(day)

    def day_closed(self, day: date) -> str | None:
        """Why the whole of `day` is closed (closure, holiday, no windows), or None."""
        return self._day(day)[0]

    def _day(self, day: date) -> tuple[str | None, tuple[tuple[datetime, datetime], ...]]:
        known = self._days.get(day)
        if known is None:
            if len(self._days) >= _DAY_CACHE_MAX:
                self._days.clear()
            known = self._days[day] = (self._why_closed(day), self._spans(day))
        return known

    def _why_closed(self, day: date) -> str | None:
        if day in self._closures:
            return f"closure date {day:%a %d %b %Y}"
        name = self.holiday(day)
        if name is not None:
            return f"bank holiday: {name}"
        if not self.spec.windows_on(day.weekday()):
            return _DAY_NAMES[day.weekday()]
        return None

    def _windows(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        return self._day(day)[1]

    def open_spans(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        """The [start, end) instants the calendar is open on local `day` (none when closed)."""
        return () if self.day_closed(day) is not None else self._windows(day)

    def _spans(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        spans = [
            (local_at(day, w.start, self.zone), local_at(day, w.end, self.zone))
            for w in self.spec.windows_on(day.weekday())
        ]
        return tuple(sorted(spans))

    def verdict(self, now: datetime) -> CalendarVerdict:
        """Open or closed at `now`, with the reason (e.g. 'office closed (Saturday)')."""
        local = require_aware(now).astimezone(self.zone)
        why = self.day_closed(local.date())
        if why is None:
            spans = self._windows(local.date())
            if any(start <= now < end for start, end in spans):
                return CalendarVerdict(open=True, detail=f"{self.name} open")
            why = f"{'before opening' if now < spans[0][0] else 'after hours'}, {local:%A}"
        return CalendarVerdict(open=False, detail=f"{self.name} closed ({why})")

    def is_open(self, now: datetime) -> bool:
        """True when the queue is staffed at `now` (start of a window open, end closed)."""
        return self.verdict(now).open

    def next_opening(self, now: datetime) -> datetime:
        """The first instant at or after `now` when the calendar is open, in its timezone.

        Returns `now` itself (in the calendar's timezone) when the calendar is open at `now`.
        """
        local = require_aware(now).astimezone(self.zone)
        for offset in range(_HORIZON_DAYS):
            day = local.date() + timedelta(days=offset)
            if self.day_closed(day) is not None:
                continue
            for start, end in self._windows(day):
                if start <= now < end:
                    return local
                if start > now:
                    return start
        raise CalendarNeverOpensError(
            f"calendar {self.name!r} does not open within {_HORIZON_DAYS} days of {now}"
        )


def build_calendars(registry: ChannelRegistry) -> dict[str, OfficeCalendar]:
    """One OfficeCalendar per calendar the registry defines, keyed by calendar name."""
    return {name: OfficeCalendar(spec, name=name) for name, spec in registry.calendars.items()}


def format_instant(at: datetime) -> str:
    """How reasons show an instant to people, e.g. 'Mon 23 Nov 2026 09:00 GMT'."""
    return at.strftime("%a %d %b %Y %H:%M %Z")
