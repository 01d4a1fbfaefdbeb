"""The office calendar: weekends, bank holidays, closures, DST and the 09:00/17:00 edges.

Expected dates come from gov.uk's published England and Wales bank holidays, not from the
`holidays` package the code uses, so a wrong subdivision or a missing substitute day fails.
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

LONDON = ZoneInfo("Europe/London")
UTC = ZoneInfo("UTC")
WEEKDAYS = {d: ["09:00-17:00"] for d in ("mon", "tue", "wed", "thu", "fri")}


def office(closures: list[date] | None = None) -> OfficeCalendar:
    return OfficeCalendar(CalendarSpec(weekly=WEEKDAYS, closures=closures or []))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


# England and Wales bank holidays (gov.uk), with the next opening after each.
BANK_HOLIDAYS = [
    ("2026-01-01", "2026-01-02"),  # New Year's Day (Thu)
    ("2026-04-03", "2026-04-07"),  # Good Friday, then Easter Monday
    ("2026-04-06", "2026-04-07"),  # Easter Monday
    ("2026-05-04", "2026-05-05"),  # Early May bank holiday
    ("2026-05-25", "2026-05-26"),  # Spring bank holiday
    ("2026-08-31", "2026-09-01"),  # Summer bank holiday
    ("2026-12-25", "2026-12-29"),  # Christmas Day (Fri); Boxing Day is Sat, substitute Mon
    ("2026-12-28", "2026-12-29"),  # Boxing Day substitute day
    ("2027-01-01", "2027-01-04"),  # New Year's Day (Fri)
    ("2027-03-26", "2027-03-30"),  # Good Friday
    ("2027-03-29", "2027-03-30"),  # Easter Monday
    ("2027-05-03", "2027-05-04"),  # Early May bank holiday
    ("2027-05-31", "2027-06-01"),  # Spring bank holiday
    ("2027-08-30", "2027-08-31"),  # Summer bank holiday
    ("2027-12-27", "2027-12-29"),  # Christmas Day substitute (25th is a Saturday)
    ("2027-12-28", "2027-12-29"),  # Boxing Day substitute (26th is a Sunday)
]


@pytest.mark.parametrize(("holiday", "reopens"), BANK_HOLIDAYS)
@pytest.mark.parametrize("clock", ["09:00:00", "12:30:00", "16:59:59"])
def test_closed_all_day_on_every_bank_holiday(holiday: str, reopens: str, clock: str) -> None:
    now = datetime.fromisoformat(f"{holiday}T{clock}").replace(tzinfo=LONDON)
    cal = office()
    verdict = cal.verdict(now)
    assert not verdict.open
    assert "bank holiday" in verdict.detail
    assert cal.next_opening(now) == datetime.fromisoformat(f"{reopens}T09:00").replace(
        tzinfo=LONDON
    )


def test_substitute_days_are_named_as_such() -> None:
    detail = office().verdict(at("2026-12-28T10:00:00+00:00")).detail
    assert detail.startswith("office closed (bank holiday: Boxing Day")
    assert "observed" in detail or "substitute" in detail


@pytest.mark.parametrize(
    ("now", "reopens"),
    [
        ("2026-11-21T00:00:00+00:00", "2026-11-23T09:00:00+00:00"),  # Saturday midnight
        ("2026-11-21T12:00:00+00:00", "2026-11-23T09:00:00+00:00"),  # Saturday noon
        ("2026-11-22T23:59:59+00:00", "2026-11-23T09:00:00+00:00"),  # Sunday, last second
        ("2026-11-20T17:00:00+00:00", "2026-11-23T09:00:00+00:00"),  # Friday closing
        ("2026-07-04T10:00:00+01:00", "2026-07-06T09:00:00+01:00"),  # summer Saturday
        ("2026-07-05T10:00:00+01:00", "2026-07-06T09:00:00+01:00"),  # summer Sunday
    ],
)
def test_weekends_are_closed_until_monday(now: str, reopens: str) -> None:
    cal = office()
    assert not cal.is_open(at(now))
    assert cal.next_opening(at(now)) == at(reopens)


def test_weekend_reason_names_the_day() -> None:
    assert office().verdict(at("2026-11-21T10:00:00+00:00")).detail == "office closed (Saturday)"


@pytest.mark.parametrize(
    ("now", "is_open", "next_opening"),
    [
        # Winter (GMT) Wednesday
        ("2026-11-25T08:59:59+00:00", False, "2026-11-25T09:00:00+00:00"),
        ("2026-11-25T09:00:00+00:00", True, "2026-11-25T09:00:00+00:00"),
        ("2026-11-25T16:59:59+00:00", True, "2026-11-25T16:59:59+00:00"),
        ("2026-11-25T17:00:00+00:00", False, "2026-11-26T09:00:00+00:00"),
        # Summer (BST) Wednesday: the same wall-clock edges, an hour earlier in UTC
        ("2026-06-24T08:59:59+01:00", False, "2026-06-24T09:00:00+01:00"),
        ("2026-06-24T09:00:00+01:00", True, "2026-06-24T09:00:00+01:00"),
        ("2026-06-24T16:59:59+01:00", True, "2026-06-24T16:59:59+01:00"),
        ("2026-06-24T17:00:00+01:00", False, "2026-06-25T09:00:00+01:00"),
        ("2026-06-24T07:59:59+00:00", False, "2026-06-24T09:00:00+01:00"),  # same, in UTC
        ("2026-06-24T08:00:00+00:00", True, "2026-06-24T09:00:00+01:00"),
        ("2026-06-24T15:59:59+00:00", True, "2026-06-24T16:59:59+01:00"),
        ("2026-06-24T16:00:00+00:00", False, "2026-06-25T09:00:00+01:00"),
        # Microseconds either side of the edges
        ("2026-11-25T08:59:59.999999+00:00", False, "2026-11-25T09:00:00+00:00"),
        ("2026-11-25T16:59:59.999999+00:00", True, "2026-11-25T16:59:59.999999+00:00"),
    ],
)
def test_opening_and_closing_edges(now: str, is_open: bool, next_opening: str) -> None:
    cal = office()
    assert cal.is_open(at(now)) is is_open
    assert cal.next_opening(at(now)) == at(next_opening)


def test_edge_reasons() -> None:
    cal = office()
    assert cal.verdict(at("2026-11-25T08:59:59+00:00")).detail == (
        "office closed (before opening, Wednesday)"
    )
    assert cal.verdict(at("2026-11-25T17:00:00+00:00")).detail == (
        "office closed (after hours, Wednesday)"
    )
    assert cal.verdict(at("2026-11-25T09:00:00+00:00")).detail == "office open"


@pytest.mark.parametrize(
    ("now", "is_open", "next_opening", "offset_h"),
    [
        # Spring forward: Sun 29 Mar 2026, 01:00 GMT -> 02:00 BST
        ("2026-03-27T16:59:59+00:00", True, "2026-03-27T16:59:59+00:00", 0),
        ("2026-03-27T17:00:00+00:00", False, "2026-03-30T08:00:00+00:00", 1),
        ("2026-03-29T00:59:59+00:00", False, "2026-03-30T08:00:00+00:00", 1),
        ("2026-03-29T01:00:00+00:00", False, "2026-03-30T08:00:00+00:00", 1),
        ("2026-03-30T07:59:59+00:00", False, "2026-03-30T08:00:00+00:00", 1),  # 08:59:59 BST
        ("2026-03-30T08:00:00+00:00", True, "2026-03-30T08:00:00+00:00", 1),  # 09:00 BST
        ("2026-03-30T15:59:59+00:00", True, "2026-03-30T15:59:59+00:00", 1),
        ("2026-03-30T16:00:00+00:00", False, "2026-03-31T08:00:00+00:00", 1),  # 17:00 BST
        # Fall back: Sun 25 Oct 2026, 02:00 BST -> 01:00 GMT
        ("2026-10-23T15:59:59+00:00", True, "2026-10-23T15:59:59+00:00", 1),  # 16:59:59 BST
        ("2026-10-23T16:00:00+00:00", False, "2026-10-26T09:00:00+00:00", 0),  # 17:00 BST
        ("2026-10-25T00:30:00+00:00", False, "2026-10-26T09:00:00+00:00", 0),  # 01:30 BST
        ("2026-10-25T01:30:00+00:00", False, "2026-10-26T09:00:00+00:00", 0),  # 01:30 GMT
        ("2026-10-26T08:30:00+00:00", False, "2026-10-26T09:00:00+00:00", 0),  # 08:30 GMT
        ("2026-10-26T09:00:00+00:00", True, "2026-10-26T09:00:00+00:00", 0),
        ("2026-10-26T16:59:59+00:00", True, "2026-10-26T16:59:59+00:00", 0),
        ("2026-10-26T17:00:00+00:00", False, "2026-10-27T09:00:00+00:00", 0),
    ],
)
def test_both_dst_transitions(now: str, is_open: bool, next_opening: str, offset_h: int) -> None:
    cal = office()
    assert cal.is_open(at(now)) is is_open
    opening = cal.next_opening(at(now))
    assert opening == at(next_opening)
    assert opening.utcoffset() == timedelta(hours=offset_h)
    assert opening.tzinfo == LONDON


@pytest.mark.parametrize(
    ("closures", "now", "reopens"),
    [
        # 2026: Christmas Fri, Boxing Day substitute Mon 28, closures 29-31, New Year Fri.
        (["2026-12-29", "2026-12-30", "2026-12-31"], "2026-12-24T17:00:00+00:00",
         "2027-01-04T09:00:00+00:00"),
        ([], "2026-12-24T17:00:00+00:00", "2026-12-29T09:00:00+00:00"),
        (["2026-12-29", "2026-12-30", "2026-12-31"], "2026-12-30T11:00:00+00:00",
         "2027-01-04T09:00:00+00:00"),
        # 2027: substitutes Mon 27 and Tue 28, closures 29-31, New Year's Day on a Saturday
        # so its substitute is Mon 3 Jan 2028: first opening Tue 4 Jan 2028.
        (["2027-12-29", "2027-12-30", "2027-12-31"], "2027-12-24T17:00:00+00:00",
         "2028-01-04T09:00:00+00:00"),
        ([], "2027-12-24T17:00:00+00:00", "2027-12-29T09:00:00+00:00"),
    ],
)  # fmt: skip
def test_christmas_to_new_year_runs(closures: list[str], now: str, reopens: str) -> None:
    cal = office([date.fromisoformat(d) for d in closures])
    assert not cal.is_open(at(now))
    assert cal.next_opening(at(now)) == at(reopens)


def test_closure_reason() -> None:
    cal = office([date(2026, 12, 30)])
    assert cal.verdict(at("2026-12-30T10:00:00+00:00")).detail == (
        "office closed (closure date Wed 30 Dec 2026)"
    )


@pytest.mark.parametrize(
    ("now", "is_open"),
    [
        ("2026-11-23T09:30:00-05:00", True),  # New York morning = 14:30 London
        ("2026-11-23T12:30:00-05:00", False),  # 17:30 London
        ("2026-11-23T08:30:00+09:00", False),  # Tokyo Monday morning = Sunday 23:30 London
        ("2026-11-23T18:00:00+09:00", True),  # Tokyo evening = 09:00 London
        ("2026-11-23T17:59:59+09:00", False),
        ("2026-06-24T13:29:59+05:30", False),  # India: 08:59:59 BST
        ("2026-06-24T13:30:00+05:30", True),  # 09:00:00 BST
        ("2026-06-24T21:29:59+05:30", True),  # 16:59:59 BST
        ("2026-06-24T21:30:00+05:30", False),  # 17:00:00 BST
    ],
)
def test_instants_from_other_timezones_are_judged_in_the_calendar_zone(
    now: str, is_open: bool
) -> None:
    assert office().is_open(at(now)) is is_open


def test_next_opening_is_in_the_calendar_zone_whatever_zone_now_is_in() -> None:
    opening = office().next_opening(at("2026-11-23T08:30:00+09:00"))
    assert opening.tzinfo == LONDON
    assert opening.isoformat() == "2026-11-23T09:00:00+00:00"


def test_a_calendar_in_another_zone_opens_on_its_own_wall_clock() -> None:
    spec = CalendarSpec(timezone="Asia/Tokyo", weekly=WEEKDAYS, bank_holidays=None)
    cal = OfficeCalendar(spec, name="tokyo")
    now = at("2026-11-23T10:00:00+00:00")  # 19:00 in Tokyo
    assert not cal.is_open(now)
    assert cal.next_opening(now).isoformat() == "2026-11-24T09:00:00+09:00"
    # No bank holidays: Christmas Day 2026 (Friday) is a working day in this calendar.
    assert cal.is_open(at("2026-12-25T10:00:00+09:00"))


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(NaiveDatetimeError):
        office().is_open(datetime(2026, 11, 23, 10))
    with pytest.raises(NaiveDatetimeError):
        office().next_opening(datetime(2026, 11, 23, 10))


def test_a_calendar_without_windows_never_opens() -> None:
    cal = OfficeCalendar(CalendarSpec(weekly={}))
    with pytest.raises(CalendarNeverOpensError):
        cal.next_opening(at("2026-11-23T10:00:00+00:00"))


def test_split_windows() -> None:
    spec = CalendarSpec(weekly={"mon": ["09:00-12:00", "13:00-17:00"]}, bank_holidays=None)
    cal = OfficeCalendar(spec)
    assert cal.is_open(at("2026-11-23T11:59:59+00:00"))
    assert not cal.is_open(at("2026-11-23T12:30:00+00:00"))
    assert cal.next_opening(at("2026-11-23T12:30:00+00:00")) == at("2026-11-23T13:00:00+00:00")
    assert cal.next_opening(at("2026-11-23T17:00:00+00:00")) == at("2026-11-30T09:00:00+00:00")


def test_holiday_years_are_computed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import holidays

    calls: list[object] = []
    real = holidays.country_holidays

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(kwargs.get("years"))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(holidays, "country_holidays", counting)
    cal = office([date(2026, 12, 29), date(2026, 12, 30), date(2026, 12, 31)])
    for day in range(1, 29):
        cal.is_open(datetime(2026, 2, day, 10, tzinfo=LONDON))
    cal.next_opening(at("2026-12-24T17:00:00+00:00"))  # walks into 2027
    cal.next_opening(at("2026-12-24T17:00:00+00:00"))
    assert calls == [2026, 2027]
