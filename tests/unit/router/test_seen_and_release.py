"""The seen-expiry rule and its value format, which releases may be forgotten, the clock."""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from schemas.registry import ChannelRegistry
from services.router.clock import FileClock
from services.router.domain.calendar import OfficeCalendar
from services.router.domain.decide import decide
from services.router.domain.holds import HeldEntry, settled_releases
from services.router.domain.seen import (
    BadSeenValueError,
    SeenMark,
    decode_seen,
    encode_seen,
    seen_expired,
)
from services.router.settings import RouterSettings
from services.router.tables import HoldBook
from tests.unit.router.conftest import item

SEEN_AT = datetime(2026, 11, 21, 10, 0, 0, 123000, tzinfo=UTC)
THIRTY_DAYS = timedelta(days=30)


def test_seen_value_round_trips() -> None:
    value = encode_seen(status="held", seen_at=SEEN_AT, partition=4)
    assert value == b"held 1795255200123 4"
    assert decode_seen(value) == SeenMark(status="held", seen_at=SEEN_AT, partition=4)


@pytest.mark.parametrize(
    "value", [b"", b"queued", b"queued 12", b"queued x 1", b"a b c d", b"\xff"]
)
def test_unreadable_seen_values_are_refused(value: bytes) -> None:
    with pytest.raises(BadSeenValueError):
        decode_seen(value)


@pytest.mark.parametrize(
    ("age", "expired"),
    [
        (timedelta(0), False),
        (THIRTY_DAYS - timedelta(seconds=1), False),
        (THIRTY_DAYS, False),  # exactly the retention: still remembered
        (THIRTY_DAYS + timedelta(milliseconds=1), True),
        (timedelta(days=400), True),
        (-timedelta(days=1), False),  # a clock moved back never expires anything
    ],
)
def test_seen_expires_only_after_the_retention(age: timedelta, expired: bool) -> None:
    assert seen_expired(SEEN_AT, now=SEEN_AT + age, retention=THIRTY_DAYS) is expired


def test_seen_expiry_compares_instants_across_zones() -> None:
    tokyo = (SEEN_AT + THIRTY_DAYS + timedelta(minutes=1)).astimezone(
        datetime.fromisoformat("2026-01-01T00:00:00+09:00").tzinfo
    )
    assert seen_expired(SEEN_AT, now=tokyo, retention=THIRTY_DAYS)


def test_seen_expiry_refuses_naive_instants() -> None:
    with pytest.raises(ValueError, match="no timezone"):
        seen_expired(SEEN_AT, now=datetime(2027, 1, 1), retention=THIRTY_DAYS)


def test_seen_retention_defaults_to_the_input_topic_retention() -> None:
    assert RouterSettings().seen_retention() == THIRTY_DAYS
    assert RouterSettings(seen_retention_s=60).seen_retention() == timedelta(minutes=1)


def _hold(
    registry: ChannelRegistry, calendars: dict[str, OfficeCalendar], channel: str, n: int
) -> HeldEntry:
    it = item(channel)
    now = datetime.fromisoformat("2026-11-21T10:00:00+00:00")
    decision = decide(it, registry=registry, campaigns=[], calendars=calendars, now=now)
    return HeldEntry.from_decision(
        it, decision, arrived_at=now, received_ns=n, partition=0, offset=n
    )


def test_a_failed_release_keeps_its_hold_and_the_later_ones_of_its_channel(
    registry: ChannelRegistry, calendars: dict[str, OfficeCalendar]
) -> None:
    a1, b1, a2, b2, a3 = (
        _hold(registry, calendars, ch, n)
        for n, ch in enumerate(
            ["twitter:hee_kss", "facebook:nhshee", "twitter:hee_kss", "facebook:nhshee",
             "twitter:hee_kss"]
        )
    )  # fmt: skip
    due = [a1, b1, a2, b2, a3]
    assert settled_releases(due, [True] * 5) == due
    # a2 failed: a2 and a3 (same channel, later) stay; b's channel is unaffected.
    assert settled_releases(due, [True, True, False, True, True]) == [a1, b1, b2]
    assert settled_releases(due, [False, True, True, True, True]) == [b1, b2]
    assert settled_releases(due, [False] * 5) == []
    with pytest.raises(ValueError, match="outcomes"):
        settled_releases(due, [True])


def test_file_clock_parses_the_file_only_when_it_changed(tmp_path: Path) -> None:
    path = tmp_path / "clock"
    path.write_text("2026-11-21T10:00:00+00:00")
    clock = FileClock(path)
    stat = path.stat()
    # Same inode, size and mtime: the clock does not look inside, so it keeps the old value.
    path.write_text("2026-11-22T10:00:00+00:00")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert clock.now() == datetime.fromisoformat("2026-11-21T10:00:00+00:00")
    # An atomic replace (new inode), as the docs ask writers to do, is seen at once.
    tmp = tmp_path / "clock.tmp"
    tmp.write_text("2026-11-23T09:00:00+00:00")
    tmp.replace(path)
    assert clock.now() == datetime.fromisoformat("2026-11-23T09:00:00+00:00")


def test_file_clock_warns_on_every_bad_read_and_recovers(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "clock"
    path.write_text("2026-11-21T10:00:00+00:00")
    clock = FileClock(path)
    path.write_text("garbage, longer than before")
    with caplog.at_level(logging.WARNING, logger="services.router.clock"):
        assert clock.now() == datetime.fromisoformat("2026-11-21T10:00:00+00:00")
        assert clock.now() == datetime.fromisoformat("2026-11-21T10:00:00+00:00")
    assert sum("keeping last clock value" in r.getMessage() for r in caplog.records) == 2
    path.unlink()
    assert clock.now() == datetime.fromisoformat("2026-11-21T10:00:00+00:00")
    path.write_text("2026-11-23T09:00:00+00:00")
    assert clock.now() == datetime.fromisoformat("2026-11-23T09:00:00+00:00")


def test_hold_book_parses_each_hold_once_and_follows_the_table(
    registry: ChannelRegistry,
    calendars: dict[str, OfficeCalendar],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    a, b = (_hold(registry, calendars, "twitter:hee_kss", n) for n in (1, 2))
    table = {b"a": a.model_dump_json().encode(), b"b": b"not json"}
    book = HoldBook(table)
    assert list(book.entries()) == [(b"a", a)]  # the corrupt one is skipped, left in place
    parses: list[bytes] = []
    real = HeldEntry.model_validate_json

    def counting(value: bytes) -> HeldEntry:
        parses.append(value)
        return real(value)

    monkeypatch.setattr(HeldEntry, "model_validate_json", counting)
    assert list(book.entries()) == [(b"a", a)]
    assert parses == []  # nothing changed: nothing parsed again
    table[b"a"] = b.model_dump_json().encode()  # a rewritten hold is parsed again
    del table[b"b"]
    assert list(book.entries()) == [(b"a", b)]
    assert len(parses) == 1
