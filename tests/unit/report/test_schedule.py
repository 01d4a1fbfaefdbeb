"""When the monthly report falls due: the first working day, bank holidays skipped."""

from __future__ import annotations

from datetime import datetime

import pytest

from schemas.registry import ChannelRegistry
from services.report.domain.month import Month, first_working_day, report_due
from services.router.domain.calendar import OfficeCalendar


@pytest.fixture
def office(registry: ChannelRegistry) -> OfficeCalendar:
    return OfficeCalendar(registry.calendars["office"])


@pytest.mark.parametrize(
    ("month", "day"),
    [
        ("2026-12", "2026-12-01"),  # a Tuesday
        ("2027-01", "2027-01-04"),  # Fri 1 Jan is New Year's Day, then the weekend
        ("2028-01", "2028-01-04"),  # Sat 1 Jan: substitute day Mon 3 Jan
        ("2026-08", "2026-08-03"),  # Sat 1 Aug: the Monday
        ("2027-05", "2027-05-04"),  # Sat 1 May; Mon 3 May is the early May bank holiday
    ],
)
def test_first_working_day(office: OfficeCalendar, month: str, day: str) -> None:
    assert first_working_day(Month.parse(month), office).isoformat() == day


@pytest.mark.parametrize(
    ("now", "due"),
    [
        ("2027-01-03T12:00:00+00:00", None),  # Sunday before the first working day
        ("2027-01-04T00:00:00+00:00", "2026-12"),  # the first working day, from midnight
        ("2027-01-20T12:00:00+00:00", "2026-12"),  # later in the month: catch up
        ("2026-11-01T00:30:00+00:00", None),  # Sunday 1 Nov
        ("2026-10-31T23:30:00+00:00", "2026-09"),  # still October in London
    ],
)
def test_report_due(office: OfficeCalendar, now: str, due: str | None) -> None:
    month = report_due(datetime.fromisoformat(now), office)
    assert (month.label if month else None) == due


def test_month_bounds_follow_london_time() -> None:
    june = Month.parse("2026-06")
    assert june.start == datetime.fromisoformat("2026-06-01T00:00:00+01:00")
    assert june.end == datetime.fromisoformat("2026-07-01T00:00:00+01:00")
    assert june.contains(datetime.fromisoformat("2026-05-31T23:30:00+00:00"))
