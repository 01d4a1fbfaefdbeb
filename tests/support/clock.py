"""File clocks: processes started with a clock file read their `now` from it on every use."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path


def set_clock(path: Path, instant: str | datetime) -> None:
    """Atomically move the clock (a reader never sees a half-written instant)."""
    text = instant.isoformat() if isinstance(instant, datetime) else instant
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text)
    tmp.replace(path)
