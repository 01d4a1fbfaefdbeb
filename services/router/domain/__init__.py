"""The router's functional core: calendars, campaign matching and the routing decision.

No Kafka, faust, HTTP or SQL here, and no clock reads: `now` is always passed in.
"""

from services.common.hashtags import hashtags_in
from services.router.domain.calendar import (
    CalendarNeverOpensError,
    CalendarVerdict,
    NaiveDatetimeError,
    OfficeCalendar,
    build_calendars,
    format_instant,
)
from services.router.domain.campaigns import match_campaigns
from services.router.domain.decide import Decision, UnknownCalendarError, decide

__all__ = [
    "CalendarNeverOpensError",
    "CalendarVerdict",
    "Decision",
    "NaiveDatetimeError",
    "OfficeCalendar",
    "UnknownCalendarError",
    "build_calendars",
    "decide",
    "format_instant",
    "hashtags_in",
    "match_campaigns",
]
