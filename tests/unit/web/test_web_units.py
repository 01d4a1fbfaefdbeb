"""Pure pieces of the pages: sign-in limits, presence, highlighting, redirects, demo users."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from schemas.guidance import Finding, Severity
from services.supervisor.demo_users import ensure_demo_users
from services.web.pages.signin import safe_next
from services.web.presence import Presence
from services.web.ratelimit import SignInLimiter
from services.web.render import age, segments

T = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_an_account_is_blocked_after_its_failures_until_the_window_passes() -> None:
    limiter = SignInLimiter.default(account=3, client=100, window=timedelta(minutes=15))
    for n in range(3):
        assert limiter.blocked_for(email="A@x.uk", client="1.1.1.1", now=T) == timedelta(0)
        limiter.failed(email="a@x.uk", client=f"10.0.0.{n}", now=T + timedelta(minutes=n))
    assert limiter.blocked_for(email="a@x.uk", client="9.9.9.9", now=T + timedelta(minutes=3)) == (
        timedelta(minutes=12)
    )
    assert limiter.blocked_for(email="b@x.uk", client="9.9.9.9", now=T) == timedelta(0)
    assert limiter.blocked_for(email="a@x.uk", client="9.9.9.9",
                               now=T + timedelta(minutes=15)) == timedelta(0)  # fmt: skip


def test_a_client_is_blocked_after_failures_on_many_accounts() -> None:
    limiter = SignInLimiter.default(account=100, client=2)
    limiter.failed(email="a@x.uk", client="1.1.1.1", now=T)
    limiter.failed(email="b@x.uk", client="1.1.1.1", now=T)
    assert limiter.blocked_for(email="c@x.uk", client="1.1.1.1", now=T) > timedelta(0)
    assert limiter.blocked_for(email="c@x.uk", client="2.2.2.2", now=T) == timedelta(0)


def test_presence_forgets_people_after_its_ttl() -> None:
    seen = Presence(ttl=timedelta(seconds=30))
    seen.saw(item="i", who="Ann", now=T)
    seen.saw(item="i", who="Bob", now=T + timedelta(seconds=20))
    assert seen.others(item="i", me="Bob", now=T + timedelta(seconds=25)) == ["Ann"]
    assert seen.others(item="i", me="Bob", now=T + timedelta(seconds=31)) == []


def _f(start: int, end: int, sev: Severity = Severity.WARN) -> Finding:
    return Finding(check="x", severity=sev, match="m", start=start, end=end, message="fix")


def test_segments_cover_the_text_once_even_when_findings_overlap() -> None:
    text = "abcdefghij"
    parts = segments(text, [_f(2, 5), _f(4, 7, Severity.BLOCK), _f(20, 30)])
    assert "".join(s for s, _ in parts) == text
    assert [(s, f is not None) for s, f in parts] == [
        ("ab", False), ("cde", True), ("fg", True), ("hij", False)
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("target", "expected"),
    [("/queues/press", "/queues/press"), ("//evil.example/x", "/"),
     ("https://evil.example/", "/"), ("", "/"), ("queues", "/")],
)  # fmt: skip
def test_only_local_paths_are_followed_after_sign_in(target: str, expected: str) -> None:
    assert safe_next(target) == expected


def test_age_reads_like_people_say_it() -> None:
    assert [age(s) for s in (5, 125, 3 * 3600 + 300, 2 * 86400 + 4 * 3600)] == [
        "5 s", "2 min", "3 h 5 min", "2 d 4 h"
    ]  # fmt: skip


def test_demo_users_are_created_once_and_their_passwords_kept(tmp_path: Path) -> None:
    calls: list[list[str]] = []

    def cli(args: list[str]) -> str:
        calls.append(args)
        return f"pw-{len(calls)}\n"

    first = ensure_demo_users(run_dir=tmp_path, cli=cli)
    assert set(first) == {"press", "digital", "lead", "approver", "admin"}
    assert first["press"][1] == "pw-1"
    again = ensure_demo_users(run_dir=tmp_path, cli=cli)
    assert again == first
    assert len(calls) == 5
    assert json.loads((tmp_path / "demo-users.json").read_text()) == first
    assert oct((tmp_path / "demo-users.json").stat().st_mode & 0o777) == "0o600"


def test_out_of_hours_the_demo_starts_at_the_last_office_hours(registry: object) -> None:
    from schemas.registry import ChannelRegistry
    from services.router.domain.calendar import build_calendars
    from services.supervisor.demo_clock import last_office_hours

    assert isinstance(registry, ChannelRegistry)
    office = build_calendars(registry)["office"]
    saturday_night = datetime(2026, 11, 28, 22, 0, tzinfo=UTC)
    assert last_office_hours(office, now=saturday_night) == datetime(
        2026, 11, 27, 10, 0, tzinfo=UTC
    )
    monday_early = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)
    assert last_office_hours(office, now=monday_early) == datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
    assert last_office_hours(office, now=datetime(2026, 11, 30, 11, 0, tzinfo=UTC)) is None
