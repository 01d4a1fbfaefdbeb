"""Out of hours, the demo runs the router on the last office hours, so there is work to do.

Without it, a `make run` on an evening or a weekend would hold every demo item until the
next opening and leave nothing to claim. An explicit --demo-start always wins.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from services.router.domain.calendar import OfficeCalendar, local_at

_LOOK_BACK_DAYS = 15


def last_office_hours(calendar: OfficeCalendar, *, now: datetime) -> datetime | None:
    """10:00 local on the latest working day before `now`; None when the office is open now."""
    if calendar.is_open(now):
        return None
    today = now.astimezone(calendar.zone).date()
    for back in range(_LOOK_BACK_DAYS):
        candidate = local_at(today - timedelta(days=back), time(10, 0), calendar.zone)
        if candidate < now and calendar.is_open(candidate):
            return candidate
    return None
