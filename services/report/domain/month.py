"""Calendar months as instants, and the first working day a monthly report is due on (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from services.router.domain.calendar import OfficeCalendar, local_at

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
LONDON = ZoneInfo("Europe/London")


class MonthError(ValueError):
    """Not a YYYY-MM month."""


@dataclass(frozen=True)
class Month:
    """One calendar month in a timezone: [start, end) as instants."""

    year: int
    month: int
    zone: ZoneInfo = LONDON

    @classmethod
    def parse(cls, text: str, *, zone: ZoneInfo = LONDON) -> Month:
        """`YYYY-MM`, e.g. 2026-11."""
        m = _MONTH.match(text.strip())
        if not m:
            raise MonthError(f"{text!r} is not a month (YYYY-MM)")
        return cls(int(m.group(1)), int(m.group(2)), zone)

    @property
    def label(self) -> str:
        """`YYYY-MM`."""
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> date:
        """Its first date."""
        return date(self.year, self.month, 1)

    def next(self) -> Month:
        """The month after."""
        y, m = (self.year + 1, 1) if self.month == 12 else (self.year, self.month + 1)
        return Month(y, m, self.zone)

    def previous(self) -> Month:
        """The month before."""
        y, m = (self.year - 1, 12) if self.month == 1 else (self.year, self.month - 1)
        return Month(y, m, self.zone)

    @property
    def last_day(self) -> date:
        """Its last date."""
        return self.next().first_day - timedelta(days=1)

    def days(self) -> list[date]:
        """Every date in it."""
        n = (self.last_day - self.first_day).days + 1
        return [self.first_day + timedelta(days=i) for i in range(n)]

    @property
    def start(self) -> datetime:
        """Local midnight on its first day."""
        return local_at(self.first_day, datetime.min.time(), self.zone)

    @property
    def end(self) -> datetime:
        """Local midnight on the next month's first day (exclusive)."""
        return self.next().start

    def contains(self, at: datetime) -> bool:
        """Whether the instant falls in the month."""
        return self.start <= at < self.end


def month_of(at: datetime, *, zone: ZoneInfo = LONDON) -> Month:
    """The month an instant falls in, in `zone`."""
    local = at.astimezone(zone)
    return Month(local.year, local.month, zone)


def first_working_day(month: Month, calendar: OfficeCalendar) -> date:
    """The first day of `month` the calendar is open at all (weekends, holidays skipped)."""
    for day in month.days():
        if calendar.open_spans(day):
            return day
    raise ValueError(f"calendar {calendar.name!r} is never open in {month.label}")


def report_due(now: datetime, calendar: OfficeCalendar) -> Month | None:
    """The month whose report is due at `now`, or None before this month's first working day.

    On or after that day it is the previous month, so a missed day catches up.
    """
    this = month_of(now, zone=calendar.zone)
    if now.astimezone(calendar.zone).date() < first_working_day(this, calendar):
        return None
    return this.previous()
