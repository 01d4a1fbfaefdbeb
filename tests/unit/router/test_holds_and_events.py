"""Holds, release order, the wire events built from them, and the file clock."""

from __future__ import annotations

import base64
import json
from datetime import datetime
from pathlib import Path

import pytest

from schemas.enums import RoutedStatus
from schemas.events import DeadLetter, RoutedItem
from schemas.registry import ChannelRegistry
from schemas.validation import validate
from services.router.clock import ClockFileError, FileClock, SystemClock, clock_for
from services.router.domain.calendar import OfficeCalendar
from services.router.domain.decide import decide
from services.router.domain.holds import HeldEntry, due_for_release
from services.router.events import DEAD_LETTER_SOURCE, released_event, routed_event
from tests.unit.router.conftest import item

SATURDAY = datetime.fromisoformat("2026-11-21T10:00:00+00:00")
OPENING = datetime.fromisoformat("2026-11-23T09:00:00+00:00")


def hold(
    registry: ChannelRegistry,
    calendars: dict[str, OfficeCalendar],
    *,
    now: datetime = SATURDAY,
    received_ns: int = 0,
    partition: int = 0,
    offset: int = 0,
) -> HeldEntry:
    it = item("twitter:hee_kss")
    decision = decide(it, registry=registry, campaigns=[], calendars=calendars, now=now)
    return HeldEntry.from_decision(
        it, decision, arrived_at=now, received_ns=received_ns, partition=partition, offset=offset
    )


def test_due_for_release_in_arrival_order(
    registry: ChannelRegistry, calendars: dict[str, OfficeCalendar]
) -> None:
    later = hold(registry, calendars, now=datetime.fromisoformat("2026-11-22T10:00:00+00:00"))
    first = hold(registry, calendars, received_ns=1, partition=5)
    second = hold(registry, calendars, received_ns=2, partition=0)
    entries = [later, second, first]
    assert due_for_release(entries, datetime.fromisoformat("2026-11-23T08:59:59+00:00")) == []
    assert due_for_release(entries, OPENING) == [first, second, later]


def test_a_queued_decision_cannot_be_held(
    registry: ChannelRegistry, calendars: dict[str, OfficeCalendar]
) -> None:
    with pytest.raises(ValueError, match="held decision"):
        hold(registry, calendars, now=OPENING)


def test_hold_round_trips_through_json(
    registry: ChannelRegistry, calendars: dict[str, OfficeCalendar]
) -> None:
    entry = hold(registry, calendars, partition=3, offset=42)
    assert HeldEntry.model_validate_json(entry.model_dump_json()) == entry


def test_routed_and_released_events(
    registry: ChannelRegistry, calendars: dict[str, OfficeCalendar]
) -> None:
    it = item("facebook:nhshee")
    decision = decide(it, registry=registry, campaigns=[], calendars=calendars, now=SATURDAY)
    held = routed_event(it, decision, now=SATURDAY)
    assert held.status is RoutedStatus.HELD
    assert held.event_id == RoutedItem.event_id_for(it.event_id, RoutedStatus.HELD)
    entry = HeldEntry.from_decision(
        it, decision, arrived_at=SATURDAY, received_ns=1, partition=0, offset=0
    )
    released = released_event(entry)
    assert released.status is RoutedStatus.RELEASED
    assert released.event_id == RoutedItem.event_id_for(it.event_id, RoutedStatus.RELEASED)
    assert released.occurred_at == OPENING
    assert released.reason.endswith(
        "held until Mon 23 Nov 2026 09:00 GMT; released when office opened"
    )
    # A repeated release (after a crash) is byte-for-byte the same event.
    assert released_event(entry).to_bytes() == released.to_bytes()
    assert validate(released.to_bytes(), RoutedItem) == released


def test_dead_letters_keep_the_payload() -> None:
    text = DeadLetter.from_error(
        source=DEAD_LETTER_SOURCE, error=ValueError("nope"), raw=b"{bad", now=SATURDAY,
        topic="t", partition=1, offset=2,
    )  # fmt: skip
    assert (text.source, text.payload, text.payload_encoding) == ("router", "{bad", "utf-8")
    assert text.event_id == DeadLetter.event_id_for("router", b"{bad")
    binary = DeadLetter.from_error(
        source=DEAD_LETTER_SOURCE, error=KeyError("k"), raw=b"\xff\x00", now=SATURDAY,
        topic=None, partition=None, offset=None,
    )  # fmt: skip
    assert binary.payload_encoding == "base64"
    assert base64.b64decode(binary.payload) == b"\xff\x00"
    assert binary.error_type == "KeyError"


def test_file_clock_rereads_the_file(tmp_path: Path) -> None:
    path = tmp_path / "clock"
    path.write_text("2026-11-21T10:00:00+00:00\n")
    clock = FileClock(path)
    assert clock.now() == SATURDAY
    path.write_text("2026-11-23T09:00:00+00:00")
    assert clock.now() == OPENING
    path.write_text("garbage")  # a bad write keeps the last good instant
    assert clock.now() == OPENING


@pytest.mark.parametrize("content", ["", "2026-11-21T10:00:00", "tomorrow"])
def test_file_clock_refuses_bad_content_at_start(tmp_path: Path, content: str) -> None:
    path = tmp_path / "clock"
    path.write_text(content)
    with pytest.raises(ClockFileError):
        FileClock(path)


def test_missing_clock_file(tmp_path: Path) -> None:
    with pytest.raises(ClockFileError, match="cannot read"):
        FileClock(tmp_path / "nope")


def test_clock_for_chooses_by_setting(tmp_path: Path) -> None:
    assert isinstance(clock_for(None), SystemClock)
    assert clock_for(None).now().tzinfo is not None
    path = tmp_path / "c"
    path.write_text(json.loads('"2026-11-21T10:00:00Z"'))
    assert clock_for(path).now() == SATURDAY
