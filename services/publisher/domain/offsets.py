"""Which offset a partition may commit when records finish out of order.

Records of one partition are handled by different account lanes, so they finish in any
order; a partition commits only up to its oldest unfinished record, so a crash never skips
a record whose outcome was not yet published.
"""

from __future__ import annotations

from collections.abc import Hashable


class OffsetTracker:
    """Pending offsets per partition, and the commit position each allows."""

    def __init__(self) -> None:
        self._pending: dict[Hashable, set[int]] = {}
        self._next: dict[Hashable, int] = {}
        self._committed: dict[Hashable, int] = {}

    def received(self, partition: Hashable, offset: int) -> None:
        """A record was fetched and handed out."""
        self._pending.setdefault(partition, set()).add(offset)
        self._next[partition] = max(self._next.get(partition, 0), offset + 1)

    def finished(self, partition: Hashable, offset: int) -> None:
        """A record's outcome is acknowledged (or it needed none)."""
        self._pending.get(partition, set()).discard(offset)

    @property
    def in_flight(self) -> int:
        """Records received and not yet finished."""
        return sum(len(p) for p in self._pending.values())

    def to_commit(self) -> dict[Hashable, int]:
        """Positions (next offset to read) that moved since the last call."""
        out = {}
        for partition, nxt in self._next.items():
            pending = self._pending.get(partition)
            position = min(pending) if pending else nxt
            if self._committed.get(partition) != position:
                out[partition] = position
        return out

    def committed(self, positions: dict[Hashable, int]) -> None:
        """The broker accepted these positions."""
        self._committed.update(positions)

    def forget(self, partition: Hashable) -> None:
        """The partition was revoked: its records will be redelivered to its next owner."""
        for table in (self._pending, self._next, self._committed):
            table.pop(partition, None)
