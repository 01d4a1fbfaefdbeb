"""The wall clock, read only at the edges (CLIs, servers, bootstraps) and passed down.

Domain code never calls this: it takes `now` (or a clock) as an argument, so tests fix time.
"""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    """The current instant, timezone-aware, in UTC."""
    return datetime.now(UTC)
