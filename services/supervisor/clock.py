"""A simulated clock for demos: a file the router reads its `now` from, advanced here."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta
from pathlib import Path


class ClockFile:
    """Writes start + speed x elapsed wall time into `path`, twice a second, atomically."""

    def __init__(self, path: Path, *, start: datetime, speed: float = 1.0) -> None:
        if start.tzinfo is None:
            raise ValueError("the demo clock's start must be timezone-aware")
        self.path = path
        self.start = start
        self.speed = speed
        self._origin = time.monotonic()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="demo-clock", daemon=True)

    def now(self) -> datetime:
        """The simulated instant."""
        return self.start + timedelta(seconds=(time.monotonic() - self._origin) * self.speed)

    def write(self) -> None:
        """Publish the current simulated instant."""
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(self.now().isoformat())
        tmp.replace(self.path)  # readers never see a half-written file

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            self.write()

    def __enter__(self) -> ClockFile:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.write()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
