"""What a poll target remembers between rounds: its cursor, and a backlog still being read.

A round that stops at its page limit before reaching the cursor records where it stopped
(`page`), the boundary it was reading back to (`cursor`, unchanged) and the newest point it
saw (`newest`). The next round carries on from `page` with the same boundary; only when the
backlog is finished does the cursor jump to `newest`. So nothing between the old cursor and
the newest item is skipped, however long the backlog.

Oldest-first collections (LinkedIn's comments) also keep `offset`: where the next round
starts reading, so a round reads only the tail of the list instead of all of it.

Stored as a plain string for a settled cursor (the format older versions wrote) and as JSON
while a backlog is open.
"""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class PollState:
    """A target's cursor and, while a backlog is open, where to resume it."""

    cursor: str | None = None
    page: str | None = None  # next page of an unfinished backlog
    newest: str | None = None  # the cursor to take once the backlog is finished
    offset: str | None = None  # oldest-first collections (LinkedIn): where the next round starts

    @property
    def in_backlog(self) -> bool:
        """Whether the last round stopped before reaching the cursor."""
        return self.page is not None

    def encode(self) -> str | None:
        """The stored form (None: nothing to store yet)."""
        if self.page is None and self.offset is None:
            return self.cursor
        fields = {"cursor": self.cursor, "page": self.page, "newest": self.newest}
        return json.dumps({**fields, "offset": self.offset})

    @classmethod
    def decode(cls, stored: str | None) -> PollState:
        """Read a stored state; a bare string is a settled cursor."""
        if not stored:
            return cls()
        if stored.startswith("{"):
            data = json.loads(stored)
            return cls(
                cursor=data.get("cursor"),
                page=data.get("page"),
                newest=data.get("newest"),
                offset=data.get("offset"),
            )
        return cls(cursor=stored)
