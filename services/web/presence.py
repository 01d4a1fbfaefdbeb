"""Who has an item open right now, so a page can say "someone else is looking at it".

In memory, per API process, refreshed by the item page every few seconds; an entry older than
`ttl` has gone. Advisory only: claims, not presence, decide who works an item.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta


@dataclass
class Presence:
    """Last time each person was seen on each item."""

    ttl: timedelta = timedelta(seconds=30)
    max_items: int = 10_000
    _seen: dict[str, dict[str, datetime]] = field(default_factory=dict)

    def saw(self, *, item: str, who: str, now: datetime) -> None:
        """Note that `who` has `item` open at `now`."""
        if item not in self._seen and len(self._seen) >= self.max_items:
            self._seen.pop(next(iter(self._seen)))
        self._seen.setdefault(item, {})[who] = now

    def others(self, *, item: str, me: str, now: datetime) -> list[str]:
        """Everyone but `me` who had `item` open within `ttl`, by name."""
        seen = self._seen.get(item, {})
        return sorted(w for w, at in seen.items() if w != me and now - at < self.ttl)
