"""Office-time arithmetic over weekends, bank holidays, substitute days, closures and DST.

Bank holiday dates are gov.uk's England and Wales list (see test_calendar.py), so a wrong
subdivision or a missing substitute day changes the expected figures.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from schemas.registry import CalendarSpec
from services.router.domain.calendar import (
    CalendarNeverOpensError,
    NaiveDatetimeError,
    OfficeCalendar,
)
from services.router.domain.office_time import (
    SpanTooLongError,
    add_office_time,
    office_seconds_between,
    office_time_between,
)

LONDON = ZoneInfo("Europe/London")
WEEKDAYS = {d: ["09:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")}
H = 3600


def office(closures: list[str] | None = None) -> OfficeCalendar:
    days = [date.fromisoformat(d) for d in closures or []]
    return OfficeCalendar(CalendarSpec(weekly=WEEKDAYS, closures=days))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


BETWEEN = [
    # within one window, Wednesday 25 Nov 2026 (GMT)
    ("2026-11-25T10:00:00+00:00", "2026-11-25T12:00:00+00:00", 2 * H),
    ("2026-11-25T10:00:00+00:00", "2026-11-25T10:00:00+00:00", 0),  # zero span
    ("2026-11-25T09:00:00+00:00", "2026-11-25T17:00:00+00:00", 8 * H),  # exact edges
    ("2026-11-25T08:00:00+00:00", "2026-11-25T10:00:00+00:00", 1 * H),  # starts before opening
    ("2026-11-25T16:00:00+00:00", "2026-11-25T19:00:00+00:00", 1 * H),  # ends after closing
    ("2026-11-25T18:00:00+00:00", "2026-11-26T10:00:00+00:00", 1 * H),  # starts after hours
    ("2026-11-25T17:00:00+00:00", "2026-11-26T09:00:00+00:00", 0),  # closing to next opening
    ("2026-11-25T16:59:59+00:00", "2026-11-26T09:00:01+00:00", 2),  # a second each side
    ("2026-11-25T00:00:00+00:00", "2026-11-25T08:59:59+00:00", 0),  # wholly before opening
    ("2026-11-25T12:00:00.250000+00:00", "2026-11-25T12:00:01+00:00", 0.75),  # fractions
    # weekends
    ("2026-11-21T00:00:00+00:00", "2026-11-22T23:59:59+00:00", 0),  # Saturday and Sunday
    ("2026-11-20T16:00:00+00:00", "2026-11-23T10:00:00+00:00", 2 * H),  # Fri 16:00 to Mon 10:00
    ("2026-11-23T00:00:00+00:00", "2026-11-30T00:00:00+00:00", 40 * H),  # a whole week
    ("2026-11-21T10:00:00+00:00", "2026-11-23T13:00:00+00:00", 4 * H),  # from a Saturday
    # bank holidays
    ("2026-08-28T16:00:00+01:00", "2026-09-01T10:00:00+01:00", 2 * H),  # summer bank holiday
    ("2026-04-02T16:00:00+01:00", "2026-04-07T10:00:00+01:00", 2 * H),  # Good Friday..Easter Mon
    ("2026-05-04T09:00:00+01:00", "2026-05-04T17:00:00+01:00", 0),  # early May, whole day
    # Christmas and New Year 2026: Fri 25 Dec, Boxing Day's substitute Mon 28 Dec, Fri 1 Jan
    ("2026-12-24T16:00:00+00:00", "2026-12-29T10:00:00+00:00", 2 * H),
    ("2026-12-28T09:00:00+00:00", "2026-12-28T17:00:00+00:00", 0),  # the substitute day
    ("2026-12-31T16:00:00+00:00", "2027-01-04T10:00:00+00:00", 2 * H),  # over New Year
    ("2026-12-21T00:00:00+00:00", "2027-01-11T00:00:00+00:00", 12 * 8 * H),  # three weeks
    # Christmas 2027: Sat 25 (substitute Mon 27), Sun 26 (substitute Tue 28); Fri 24 works
    ("2027-12-24T09:00:00+00:00", "2027-12-29T09:00:00+00:00", 8 * H),
    ("2027-12-31T16:00:00+00:00", "2028-01-04T10:00:00+00:00", 2 * H),  # substitute Mon 3 Jan
    # spring forward (Sun 29 Mar 2026) and fall back (Sun 25 Oct 2026) weekends
    ("2026-03-27T16:00:00+00:00", "2026-03-30T10:00:00+01:00", 2 * H),
    ("2026-03-27T00:00:00+00:00", "2026-03-31T00:00:00+01:00", 16 * H),
    ("2026-10-23T16:00:00+01:00", "2026-10-26T10:00:00+00:00", 2 * H),
    ("2026-10-23T00:00:00+01:00", "2026-10-27T00:00:00+00:00", 16 * H),
    # the same instants written in other zones
    ("2026-11-25T15:30:00+05:30", "2026-11-25T07:00:00-05:00", 2 * H),
    ("2026-06-24T07:00:00+00:00", "2026-06-24T09:00:00+00:00", 1 * H),  # 08:00-10:00 BST
]


@pytest.mark.parametrize(("start", "end", "seconds"), BETWEEN)
def test_office_seconds_between(start: str, end: str, seconds: float) -> None:
    assert office_seconds_between(office(), at(start), at(end)) == seconds


@pytest.mark.parametrize(("start", "end", "seconds"), BETWEEN)
def test_reversed_spans_are_negative(start: str, end: str, seconds: float) -> None:
    assert office_seconds_between(office(), at(end), at(start)) == -seconds


def test_spans_add_up_in_any_order() -> None:
    cal, a, b = office(), at("2026-12-23T11:00:00+00:00"), at("2027-01-05T15:00:00+00:00")
    c = at("2026-12-30T12:00:00+00:00")
    assert office_time_between(cal, a, c) + office_time_between(cal, c, b) == (
        office_time_between(cal, a, b)
    )
    assert office_time_between(cal, b, c) + office_time_between(cal, c, a) == (
        office_time_between(cal, b, a)
    )


def test_closures_between_christmas_and_new_year_count_nothing() -> None:
    cal = office(["2026-12-29", "2026-12-30", "2026-12-31"])
    assert office_seconds_between(cal, at("2026-12-24T16:00:00Z"), at("2027-01-04T10:00:00Z")) == (
        2 * H
    )


def _sunday_night() -> OfficeCalendar:
    # 00:30-03:30 wall clock: spans both clock changes, which happen at 01:00 UTC.
    return OfficeCalendar(CalendarSpec(weekly={"sun": ["00:30-03:30"]}, bank_holidays=None))


@pytest.mark.parametrize(
    ("day", "hours"),
    [
        ("2026-03-22", 3),  # an ordinary Sunday
        ("2026-03-29", 2),  # spring forward: 01:00 GMT becomes 02:00 BST
        ("2026-10-25", 4),  # fall back: 02:00 BST becomes 01:00 GMT, 01:00-02:00 twice
        ("2026-11-01", 3),
    ],
)
def test_windows_over_a_clock_change_count_real_time(day: str, hours: int) -> None:
    cal = _sunday_night()
    d = date.fromisoformat(day)
    start = datetime.combine(d - timedelta(days=1), datetime.min.time(), tzinfo=LONDON)
    end = datetime.combine(d + timedelta(days=1), datetime.min.time(), tzinfo=LONDON)
    assert office_seconds_between(cal, start, end) == hours * H


ADD = [
    ("2026-11-25T10:00:00+00:00", 2 * H, "2026-11-25T12:00:00+00:00"),
    ("2026-11-25T16:00:00+00:00", 1 * H, "2026-11-25T17:00:00+00:00"),  # uses a window up
    ("2026-11-25T16:00:00+00:00", 1 * H + 1, "2026-11-26T09:00:01+00:00"),
    ("2026-11-25T09:00:00+00:00", 0, "2026-11-25T09:00:00+00:00"),  # 0 at opening
    ("2026-11-25T07:00:00+00:00", 0, "2026-11-25T07:00:00+00:00"),  # 0 before opening: itself
    ("2026-11-25T07:00:00+00:00", 1, "2026-11-25T09:00:01+00:00"),
    ("2026-11-25T17:00:00+00:00", 8 * H, "2026-11-26T17:00:00+00:00"),  # one working day
    ("2026-11-21T10:00:00+00:00", 4 * H, "2026-11-23T13:00:00+00:00"),  # from a Saturday
    ("2026-11-20T16:00:00+00:00", 4 * H, "2026-11-23T12:00:00+00:00"),  # over a weekend
    ("2026-08-28T15:00:00+01:00", 4 * H, "2026-09-01T11:00:00+01:00"),  # summer bank holiday
    ("2026-12-24T13:00:00+00:00", 8 * H, "2026-12-29T13:00:00+00:00"),  # Christmas, substitute
    ("2026-12-24T16:00:00+00:00", 8 * H, "2026-12-29T16:00:00+00:00"),
    ("2026-12-31T12:00:00+00:00", 8 * H, "2027-01-04T12:00:00+00:00"),  # New Year's Day Fri
    ("2027-12-24T16:00:00+00:00", 4 * H, "2027-12-29T12:00:00+00:00"),  # 27 and 28 substitutes
    ("2026-03-27T16:00:00+00:00", 2 * H, "2026-03-30T10:00:00+01:00"),  # spring forward
    ("2026-10-23T16:00:00+01:00", 2 * H, "2026-10-26T10:00:00+00:00"),  # fall back
    ("2026-11-25T12:00:00+05:30", 1 * H, "2026-11-25T10:00:00+00:00"),  # other zone, before 9
    ("2026-11-25T12:00:00.5+00:00", 0.25, "2026-11-25T12:00:00.750000+00:00"),
]


@pytest.mark.parametrize(("start", "seconds", "expected"), ADD)
def test_add_office_time(start: str, seconds: float, expected: str) -> None:
    result = add_office_time(office(), at(start), timedelta(seconds=seconds))
    assert result == at(expected)
    assert result.tzinfo == LONDON


@pytest.mark.parametrize(("start", "seconds", "expected"), ADD)
def test_add_is_the_inverse_of_between(start: str, seconds: float, expected: str) -> None:
    cal = office()
    assert office_seconds_between(cal, at(start), at(expected)) == seconds


def test_add_with_closures() -> None:
    cal = office(["2026-12-29", "2026-12-30", "2026-12-31"])
    result = add_office_time(cal, at("2026-12-24T16:00:00Z"), timedelta(hours=2))
    assert result == at("2027-01-04T10:00:00+00:00")


@pytest.mark.parametrize("hours", [0, 1, 4, 8, 9, 40, 200])
@pytest.mark.parametrize(
    "start",
    [
        "2026-03-27T08:30:00+00:00",
        "2026-10-24T12:00:00+01:00",
        "2026-12-24T16:30:00+00:00",
        "2027-12-23T12:00:00+00:00",
        "2026-06-24T17:00:00+01:00",
    ],
)
def test_add_then_between_round_trips(start: str, hours: int) -> None:
    cal = office()
    end = add_office_time(cal, at(start), timedelta(hours=hours))
    assert office_time_between(cal, at(start), end) == timedelta(hours=hours)
    if hours:
        # Earliest: a microsecond sooner is not yet enough.
        assert office_time_between(cal, at(start), end - timedelta(microseconds=1)) < timedelta(
            hours=hours
        )


def test_naive_instants_are_refused() -> None:
    cal = office()
    with pytest.raises(NaiveDatetimeError):
        office_time_between(cal, datetime(2026, 11, 25, 10), at("2026-11-25T12:00:00Z"))
    with pytest.raises(NaiveDatetimeError):
        office_time_between(cal, at("2026-11-25T12:00:00Z"), datetime(2026, 11, 25, 10))
    with pytest.raises(NaiveDatetimeError):
        add_office_time(cal, datetime(2026, 11, 25, 10), timedelta(hours=1))


def test_adding_negative_time_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        add_office_time(office(), at("2026-11-25T12:00:00Z"), timedelta(seconds=-1))


def test_a_calendar_that_never_opens() -> None:
    cal = OfficeCalendar(CalendarSpec(weekly={}))
    assert office_seconds_between(cal, at("2026-01-01T00:00Z"), at("2027-01-01T00:00Z")) == 0
    with pytest.raises(CalendarNeverOpensError):
        add_office_time(cal, at("2026-11-25T12:00:00Z"), timedelta(seconds=1))


def test_absurd_spans_are_refused() -> None:
    with pytest.raises(SpanTooLongError):
        office_time_between(office(), at("2000-01-01T00:00Z"), at("2099-01-01T00:00Z"))
