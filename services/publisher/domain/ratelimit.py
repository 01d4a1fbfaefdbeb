"""Rate-limit signals in platform answers, and the per-account pause they imply.

Each account has its own pause: one throttled account never holds up another.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

from schemas.enums import Platform

META_PLATFORMS = frozenset({Platform.FACEBOOK, Platform.INSTAGRAM})
_META_METRICS = ("call_count", "total_cputime", "total_time")
_MAX_HEADER = 8192  # a usage header longer than this is not parsed (hostile edge)


def retry_after(headers: dict[str, str], *, now: datetime) -> datetime | None:
    """The instant a `Retry-After` header (seconds or an HTTP date) points to."""
    raw = headers.get("retry-after", "").strip()
    if not raw:
        return None
    if raw.isdigit():
        return now + timedelta(seconds=min(int(raw), 86_400))
    try:
        when = parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return when.astimezone(UTC) if when.tzinfo else when.replace(tzinfo=UTC)


def x_reset(headers: dict[str, str]) -> datetime | None:
    """X: when the window resets, if this answer used its last request."""
    remaining, reset = headers.get("x-rate-limit-remaining"), headers.get("x-rate-limit-reset")
    if remaining is None or reset is None or not remaining.strip().isdigit():
        return None
    if int(remaining) > 0 or not reset.strip().isdigit():
        return None
    return datetime.fromtimestamp(int(reset), UTC)


def _usage(raw: str | None) -> Any:
    if not raw or len(raw) > _MAX_HEADER:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


def _full(entry: Any, *, threshold: int) -> bool:
    if not isinstance(entry, dict):
        return False
    return any(
        isinstance(entry.get(m), int | float) and entry[m] >= threshold for m in _META_METRICS
    )


def meta_pause(
    headers: dict[str, str], *, now: datetime, usage_pause: timedelta, threshold: int = 100
) -> datetime | None:
    """Meta: a pause from its usage headers.

    X-Business-Use-Case-Usage gives an estimated time to regain access (minutes) or metrics
    in percent; X-App-Usage gives metrics in percent. A metric at the threshold pauses.
    """
    until: datetime | None = None
    buc = _usage(headers.get("x-business-use-case-usage"))
    if isinstance(buc, dict):
        for entries in buc.values():
            for entry in entries if isinstance(entries, list) else []:
                if not isinstance(entry, dict):
                    continue
                minutes = entry.get("estimated_time_to_regain_access")
                if isinstance(minutes, int | float) and minutes > 0:
                    until = _later(until, now + timedelta(minutes=min(minutes, 1440)))
                elif _full(entry, threshold=threshold):
                    until = _later(until, now + usage_pause)
    if _full(_usage(headers.get("x-app-usage")), threshold=threshold):
        until = _later(until, now + usage_pause)
    return until


def _later(a: datetime | None, b: datetime | None) -> datetime | None:
    if a is None:
        return b
    return a if b is None else max(a, b)


def pause_until(
    platform: Platform,
    headers: dict[str, str],
    *,
    now: datetime,
    usage_pause: timedelta = timedelta(minutes=5),
) -> datetime | None:
    """The instant before which this account should send nothing more, if any."""
    until = retry_after(headers, now=now)
    if platform is Platform.TWITTER:
        until = _later(until, x_reset(headers))
    if platform in META_PLATFORMS:
        until = _later(until, meta_pause(headers, now=now, usage_pause=usage_pause))
    return until if until is not None and until > now else None


class AccountPauses:
    """Per-account pauses, longest wins."""

    def __init__(self) -> None:
        self._until: dict[str, datetime] = {}

    def note(self, account: str, until: datetime | None) -> None:
        """Record that `account` should wait until `until` (no-op for None)."""
        if until is not None:
            self._until[account] = _later(self._until.get(account), until) or until

    def wait_s(self, account: str, *, now: datetime) -> float:
        """Seconds `account` must still wait (0 when it may send)."""
        until = self._until.get(account)
        if until is None:
            return 0.0
        left = (until - now).total_seconds()
        if left <= 0:
            del self._until[account]
            return 0.0
        return left
