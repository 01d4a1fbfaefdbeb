"""Where the worker's `now` comes from: the real clock, or a file (tests and demos).

Only the entrypoint and the timer call these; the domain always receives `now`.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import Protocol

from services.common.clock import utc_now
from services.common.instants import InstantError, parse_instant

logger = logging.getLogger(__name__)


class ClockFileError(ValueError):
    """The clock file is missing or does not hold an ISO-8601 instant with an offset."""


class Clock(Protocol):
    """A source of timezone-aware instants."""

    def now(self) -> datetime:
        """The current instant, timezone-aware."""
        ...


class SystemClock:
    """The real clock, in UTC."""

    def now(self) -> datetime:
        """The current instant, in UTC."""
        return utc_now()


def read_clock_file(path: Path) -> datetime:
    """Parse the instant in `path`, or raise ClockFileError saying what is wrong."""
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError as err:
        raise ClockFileError(f"cannot read clock file {path}: {err.strerror}") from err
    try:
        return parse_instant(text)
    except InstantError as err:
        what = "which has no UTC offset" if err.missing_offset else "not ISO 8601"
        raise ClockFileError(f"clock file {path} holds {text!r}, {what}") from err


class FileClock:
    """Reads `now` from a file, so another process can move time.

    A test or demo facility (SWITCHBOARD_ROUTER_CLOCK_FILE). The file is parsed again only
    when it changed (inode, mtime_ns or size differ from the last read), not on every item.
    The first read must succeed; afterwards a bad read (a writer mid-update without an
    atomic rename) keeps the last good instant and logs a warning rather than stopping the
    worker.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stamp = _file_stamp(path)
        self._last = read_clock_file(path)

    def now(self) -> datetime:
        """The instant in the file (or the last good one)."""
        try:
            stamp = _file_stamp(self.path)
            if stamp is not None and stamp == self._stamp:
                return self._last
            self._last = read_clock_file(self.path)
            # Remembered only after a good read, so bad content is retried (and warned) again.
            self._stamp = stamp
        except ClockFileError as err:
            logger.warning("keeping last clock value %s: %s", self._last.isoformat(), err)
        return self._last


def _file_stamp(path: Path) -> tuple[int, int, int] | None:
    """What identifies one version of the file; None when it cannot be stat'ed."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def clock_for(clock_file: Path | None) -> Clock:
    """The file clock when a file is configured, else the system clock."""
    return FileClock(clock_file) if clock_file is not None else SystemClock()
