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

from services.router.domain.seen import BadSeenValueError, decode_seen, encode_seen, seen_expired
from services.router.tables import delete_key

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SweepResult:
    """What one sweep did."""

    expired: int = 0
    upgraded: int = 0


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
        """Tombstone expired keys of `partitions`; date old-format values at `now`."""
        expired = upgraded = 0
        for key, value in list(self._table.items()):
            try:
                mark = decode_seen(value)
            except BadSeenValueError as err:
                self._report_once(key, f"left in place: {err}")
                continue
            if mark.seen_at is None or mark.partition is None:
                upgraded += self._date_legacy(key, mark.status, now=now, partitions=partitions)
            elif mark.partition in partitions and seen_expired(
                mark.seen_at, now=now, retention=self.retention
            ):
                delete_key(self._table, key, partition=mark.partition)
                expired += 1
        if expired or upgraded:
            logger.info(
                "seen sweep at %s: %d expired, %d old-format entries dated",
                now.isoformat(),
                expired,
                upgraded,
            )
        return SweepResult(expired=expired, upgraded=upgraded)

    def _date_legacy(self, key: bytes, status: str, *, now: datetime, partitions: Set[int]) -> int:
        """Give an old-format value (seen at an unknown time) the full retention from `now`.

        Rewritten durably, in the partition faust recovered it from, so a restart does not
        start its retention again.
        """
        partition = _recovered_partition(self._table, key)
        if partition is None:
            self._report_once(key, f"old-format entry ({status}) of unknown partition; kept")
            return 0
        if partition not in partitions:
            return 0
        value = encode_seen(status=status, seen_at=now, partition=partition)
        self._table.data[key] = value
        self._table.send_changelog(partition, key, value, value_serializer="raw")
        return 1

    def _report_once(self, key: bytes, message: str) -> None:
        if key not in self._reported:
            self._reported.add(key)
            logger.warning("seen %r: %s", key, message)


def _recovered_partition(table: Any, key: bytes) -> int | None:
    """The changelog partition faust's memory store recovered `key` from, if it knows."""
    known: Any = getattr(table.data, "_key_partition", {})
    partition = known.get(key)
    return partition if isinstance(partition, int) else None
