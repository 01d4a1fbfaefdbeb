"""Backoff with injected jitter; rate-limit headers per platform; per-account pauses."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from schemas.enums import Platform
from services.publisher.domain.backoff import Backoff
from services.publisher.domain.offsets import OffsetTracker
from services.publisher.domain.ratelimit import AccountPauses, meta_pause, pause_until, retry_after

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("rand", "retry", "expected"), [
    (0.0, 1, 0.5), (0.999999, 1, 1.0), (0.0, 2, 1.0), (0.5, 3, 3.0), (0.0, 10, 30.0),
    (0.999999, 40, 60.0),
])  # fmt: skip
def test_backoff_doubles_with_equal_jitter_and_a_cap(
    rand: float, retry: int, expected: float
) -> None:
    assert Backoff(base_s=1, cap_s=60, rand=lambda: rand).delay(retry) == pytest.approx(expected)


def test_backoff_takes_the_platforms_longer_wait_and_rejects_retry_zero() -> None:
    b = Backoff(base_s=1, cap_s=60, rand=lambda: 0.0)
    assert b.wait(1, retry_after_s=30) == 30 and b.wait(1, retry_after_s=0.1) == 0.5
    with pytest.raises(ValueError, match="start at 1"):
        b.delay(0)


def test_retry_after_in_seconds_or_http_date() -> None:
    assert retry_after({"retry-after": "120"}, now=NOW) == NOW + timedelta(seconds=120)
    date = {"retry-after": "Tue, 01 Dec 2026 12:05:00 GMT"}
    assert retry_after(date, now=NOW) == NOW + timedelta(minutes=5)
    assert retry_after({"retry-after": "soon"}, now=NOW) is None
    assert retry_after({"retry-after": "999999999"}, now=NOW) == NOW + timedelta(days=1)


def test_x_pauses_until_reset_only_when_the_window_is_used_up() -> None:
    reset = int((NOW + timedelta(minutes=15)).timestamp())
    used = {"x-rate-limit-remaining": "0", "x-rate-limit-reset": str(reset)}
    assert pause_until(Platform.TWITTER, used, now=NOW) == NOW + timedelta(minutes=15)
    left = {"x-rate-limit-remaining": "3", "x-rate-limit-reset": str(reset)}
    assert pause_until(Platform.TWITTER, left, now=NOW) is None
    # X's headers mean nothing on another platform.
    assert pause_until(Platform.LINKEDIN, used, now=NOW) is None


def test_meta_business_use_case_usage() -> None:
    pause = timedelta(minutes=5)
    regain = {
        "x-business-use-case-usage": json.dumps(
            {"104": [{"type": "pages", "call_count": 100, "estimated_time_to_regain_access": 7}]}
        )
    }
    assert meta_pause(regain, now=NOW, usage_pause=pause) == NOW + timedelta(minutes=7)
    full = {"x-business-use-case-usage": json.dumps({"104": [{"total_cputime": 100}]})}
    assert meta_pause(full, now=NOW, usage_pause=pause) == NOW + pause
    fine = {
        "x-business-use-case-usage": json.dumps({"104": [{"call_count": 40}]}),
        "x-app-usage": json.dumps({"call_count": 12, "total_time": 3}),
    }
    assert meta_pause(fine, now=NOW, usage_pause=pause) is None
    app = {"x-app-usage": json.dumps({"call_count": 100})}
    assert pause_until(Platform.INSTAGRAM, app, now=NOW, usage_pause=pause) == NOW + pause
    hostile = {"x-business-use-case-usage": "{" * 10_000, "x-app-usage": "[1, 2"}
    assert meta_pause(hostile, now=NOW, usage_pause=pause) is None  # fmt: skip


def test_pauses_are_per_account_and_expire() -> None:
    pauses = AccountPauses()
    pauses.note("twitter:a", NOW + timedelta(seconds=30))
    pauses.note("twitter:a", NOW + timedelta(seconds=10))  # the longer one wins
    assert pauses.wait_s("twitter:a", now=NOW) == 30
    assert pauses.wait_s("twitter:b", now=NOW) == 0  # another account is not held up
    assert pauses.wait_s("twitter:a", now=NOW + timedelta(seconds=31)) == 0


def test_offsets_commit_only_up_to_the_oldest_unfinished_record() -> None:
    t = OffsetTracker()
    for offset in (5, 6, 7):
        t.received("p0", offset)
    t.finished("p0", 7)
    assert t.to_commit() == {"p0": 5}
    t.committed({"p0": 5})
    t.finished("p0", 5)
    assert t.to_commit() == {"p0": 6}
    t.finished("p0", 6)
    assert t.to_commit() == {"p0": 8} and t.in_flight == 0
    t.committed({"p0": 8})
    assert t.to_commit() == {}
