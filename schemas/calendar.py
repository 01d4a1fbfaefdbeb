"""Calendar specifications: when a queue is staffed (data only; the router evaluates them)."""

from __future__ import annotations

import re
from datetime import date, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WINDOW = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class HolidaySource(_Strict):
    """Public holidays from the `holidays` package."""

    country: str = Field(default="GB", description="ISO country code.")
    subdiv: str | None = Field(
        default="ENG", description="Subdivision; GB needs ENG for England and Wales bank holidays."
    )


class TimeWindow(_Strict):
    """An opening window within one day, [start, end): start is open, end is closed."""

    start: time
    end: time


class CalendarSpec(_Strict):
    """When a queue is staffed: weekly windows in a timezone, minus holidays and closures."""

    timezone: str = Field(default="Europe/London", description="IANA timezone of the windows.")
    weekly: dict[str, list[TimeWindow]] = Field(
        description="Opening windows per weekday (mon..sun), e.g. mon: ['09:00-17:00']."
    )
    bank_holidays: HolidaySource | None = Field(
        default_factory=HolidaySource, description="Holidays on which the queue is closed."
    )
    closures: list[date] = Field(
        default_factory=list,
        description="Extra closed dates (e.g. between Christmas and New Year).",
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as err:
            raise ValueError(f"unknown timezone {value!r}") from err
        return value

    @field_validator("weekly", mode="before")
    @classmethod
    def _parse_windows(cls, value: object) -> object:
        if not isinstance(value, dict):
            return value
        parsed: dict[str, list[object]] = {}
        for day, windows in value.items():
            if day not in _WEEKDAYS:
                raise ValueError(f"unknown weekday {day!r} (use {', '.join(_WEEKDAYS)})")
            parsed[day] = [_parse_window(day, w) for w in (windows or [])]
        return parsed

    def zone(self) -> ZoneInfo:
        """The calendar's timezone."""
        return ZoneInfo(self.timezone)

    def windows_on(self, weekday: int) -> list[TimeWindow]:
        """Opening windows for a weekday (0 = Monday)."""
        return self.weekly.get(_WEEKDAYS[weekday], [])


def _parse_window(day: str, raw: object) -> object:
    if not isinstance(raw, str):
        return raw
    m = _WINDOW.match(raw.strip())
    if not m:
        raise ValueError(f"{day}: window {raw!r} is not HH:MM-HH:MM")
    h1, m1, h2, m2 = (int(g) for g in m.groups())
    if not (h1 < 24 and m1 < 60 and h2 <= 24 and m2 < 60):
        raise ValueError(f"{day}: window {raw!r} has an impossible time")
    start, end = time(h1, m1), (time(23, 59, 59, 999999) if h2 == 24 else time(h2, m2))
    if end <= start:
        raise ValueError(f"{day}: window {raw!r} ends before it starts")
    return {"start": start, "end": end}
