"""Forget `seen` entries that a replay of inbox.items.v1 can no longer bring back.

Runs inside the release timer, at most every `interval_s` seconds, over this worker's active
partitions only. Removing a key is a local delete plus a changelog tombstone in the key's own
partition, as for holds (the timer has no stream event to name the partition).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Set
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from services.router.domain.seen import BadSeenValueError, decode_seen, seen_expired
from services.router.tables import delete_key

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SweepResult:
    """What one sweep did."""

    expired: int = 0


class SeenSweeper:
    """Expires `seen` keys older than the input topic's retention (by the injected clock)."""

    def __init__(
        self,
        table: Any,
        *,
        retention: timedelta,
        interval_s: float,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._table = table
        self.retention = retention
        self._interval_s = interval_s
        self._monotonic = monotonic
        self._last: float | None = None
        self._reported: set[bytes] = set()

    def due(self) -> bool:
        """True when a sweep is due (the first call always is); the cadence is wall time."""
        moment = self._monotonic()
        if self._last is not None and moment - self._last < self._interval_s:
            return False
        self._last = moment
        return True

    def sweep(self, *, now: datetime, partitions: Set[int]) -> SweepResult:
        """Tombstone the expired keys of `partitions`."""
        expired = 0
        for key, value in list(self._table.items()):
            try:
                mark = decode_seen(value)
            except BadSeenValueError as err:
                self._report_once(key, f"left in place: {err}")
                continue
            if mark.partition in partitions and seen_expired(
                mark.seen_at, now=now, retention=self.retention
            ):
                delete_key(self._table, key, partition=mark.partition)
                expired += 1
        if expired:
            logger.info("seen sweep at %s: %d expired", now.isoformat(), expired)
        return SweepResult(expired=expired)

    def _report_once(self, key: bytes, message: str) -> None:
        if key not in self._reported:
            self._reported.add(key)
            logger.warning("seen %r: %s", key, message)
