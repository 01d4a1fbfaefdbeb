"""Ingestion health per account: last success, consecutive failures, rate limits, tokens.

Each ingest process (webhook server, poller) keeps a HealthBook and, when given a path,
rewrites one small JSON file after every change (atomically: temp file, then rename).
`/metrics` and the API's `GET /v1/channels` read the files of every process in the folder,
so the API needs no broker client and no import of ingest's runtime. Accounts are registry
ids (`platform:channel` for pollers); webhook items for unknown channels count under one
`unknown` account so the label set stays bounded.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)
# Meta Graph error codes: 190 = access token invalid or expired; 4/17/32/613 = rate limited.
_META_TOKEN = frozenset({190})
_META_RATE = frozenset({4, 17, 32, 613})


@dataclass(frozen=True)
class Signals:
    """What one response said about rate limits and the access token."""

    rate_limited: bool = False
    rate_limit_remaining: int | None = None
    rate_limit_reset_at: str | None = None  # ISO 8601, when the platform says
    token_expired: bool = False
    token_expires_at: str | None = None  # ISO 8601, when the platform says


def _meta_error(body: bytes) -> int | None:
    try:
        data = json.loads(body)
    except ValueError:
        return None
    error = data.get("error") if isinstance(data, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    return code if isinstance(code, int) else None


def _unix_iso(value: str | None) -> str | None:
    if value is None or not value.strip().isdigit():
        return None
    return datetime.fromtimestamp(int(value), tz=UTC).isoformat()


def signals_from(status: int, headers: Any, body: bytes) -> Signals:
    """Rate-limit and token state from a response.

    X sends x-rate-limit-remaining / -reset (Unix seconds); Meta reports limits and expired
    tokens as error codes in the body; a 401 anywhere means the token no longer works. None
    of the read endpoints polled here states a token's expiry time in its responses; an
    `x-token-expires-at` header (Unix seconds) is read should a gateway in front add one.
    """
    remaining = headers.get("x-rate-limit-remaining")
    code = _meta_error(body) if status >= 400 else None
    return Signals(
        rate_limited=status == 429 or code in _META_RATE or remaining == "0",
        rate_limit_remaining=int(remaining) if remaining and remaining.isdigit() else None,
        rate_limit_reset_at=_unix_iso(headers.get("x-rate-limit-reset")),
        token_expired=status == 401 or code in _META_TOKEN,
        token_expires_at=_unix_iso(headers.get("x-token-expires-at")),
    )


@dataclass
class AccountHealth:
    """One account's ingestion health."""

    last_success_at: str | None = None
    last_success_via: str | None = None  # "poll" or "webhook"
    consecutive_failures: int = 0
    last_error: str | None = None
    rate_limited: bool = False
    rate_limit_remaining: int | None = None
    rate_limit_reset_at: str | None = None
    token_expired: bool = False
    token_expires_at: str | None = None
    updated_at: str | None = None


@dataclass
class HealthBook:
    """Health of every account one process ingests for, optionally mirrored to a file."""

    path: Path | None = None
    accounts: dict[str, AccountHealth] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def _entry(self, account: str) -> AccountHealth:
        return self.accounts.setdefault(account, AccountHealth())

    def success(self, account: str, *, now: datetime, via: str = "poll") -> None:
        """A poll round or webhook delivery for the account went through."""
        with self._lock:
            entry = self._entry(account)
            entry.last_success_at = now.isoformat()
            entry.last_success_via = via
            entry.consecutive_failures = 0
            entry.last_error = None
            entry.updated_at = now.isoformat()
            self._save()

    def failure(self, account: str, *, error: str, signals: Signals, now: datetime) -> None:
        """A poll round for the account failed."""
        with self._lock:
            entry = self._entry(account)
            entry.consecutive_failures += 1
            entry.last_error = error[:500]
            self._apply(entry, signals, now)
            self._save()

    def signals(self, account: str, signals: Signals, *, now: datetime) -> None:
        """Record what a successful response said about limits and the token."""
        with self._lock:
            self._apply(self._entry(account), signals, now)
            self._save()

    @staticmethod
    def _apply(entry: AccountHealth, signals: Signals, now: datetime) -> None:
        entry.rate_limited = signals.rate_limited
        entry.rate_limit_remaining = signals.rate_limit_remaining
        entry.rate_limit_reset_at = signals.rate_limit_reset_at
        entry.token_expired = signals.token_expired
        entry.token_expires_at = signals.token_expires_at or entry.token_expires_at
        entry.updated_at = now.isoformat()

    def snapshot(self) -> dict[str, dict[str, Any]]:
        """Every account's health as plain JSON values."""
        return {name: asdict(h) for name, h in sorted(self.accounts.items())}

    def _save(self) -> None:
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(self.snapshot(), sort_keys=True), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError as err:
            # Health is reporting, not ingestion: a full disk must not stop a poller.
            logger.warning("could not write ingest health to %s: %s", self.path, err)


def read_health(folder: Path) -> dict[str, dict[str, Any]]:
    """Every account's health across the processes that wrote into `folder`.

    The newest success wins; failures and rate-limit state come from the latest update.
    """
    merged: dict[str, dict[str, Any]] = {}
    for file in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for account, health in data.items() if isinstance(data, dict) else []:
            if not isinstance(health, dict):
                continue
            merged[account] = _merge(merged.get(account), health)
    return merged


def _merge(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    if old is None:
        return dict(new)
    latest = new if (new.get("updated_at") or "") >= (old.get("updated_at") or "") else old
    success = max((old, new), key=lambda h: h.get("last_success_at") or "")
    return {
        **latest,
        "last_success_at": success.get("last_success_at"),
        "last_success_via": success.get("last_success_via"),
    }


def prometheus(health: dict[str, dict[str, Any]]) -> str:
    """The health as Prometheus text exposition (one gauge family per measure)."""
    lines: list[str] = []

    def gauge(name: str, help_text: str, value_of: Any) -> None:
        lines.append(f"# HELP {name} {help_text}")
        lines.append(f"# TYPE {name} gauge")
        for account, h in sorted(health.items()):
            value = value_of(h)
            if value is not None:
                label = account.replace("\\", "\\\\").replace('"', '\\"')
                lines.append(f'{name}{{account="{label}"}} {value}')

    def stamp(text: str | None) -> float | None:
        return datetime.fromisoformat(text).timestamp() if text else None

    gauge(
        "switchboard_ingest_last_success_timestamp_seconds",
        "Last successful poll round or webhook delivery.",
        lambda h: stamp(h.get("last_success_at")),
    )
    gauge(
        "switchboard_ingest_consecutive_failures",
        "Poll rounds failed in a row.",
        lambda h: h.get("consecutive_failures", 0),
    )
    gauge(
        "switchboard_ingest_rate_limited",
        "1 while the platform says the account is rate limited.",
        lambda h: int(bool(h.get("rate_limited"))),
    )
    gauge(
        "switchboard_ingest_token_expired",
        "1 when the platform refused the access token as expired or invalid.",
        lambda h: int(bool(h.get("token_expired"))),
    )
    gauge(
        "switchboard_ingest_token_expiry_timestamp_seconds",
        "When the access token expires, where the platform reports it.",
        lambda h: stamp(h.get("token_expires_at")),
    )
    return "\n".join(lines) + "\n"
