"""The SLA service's loop: read the log to its end, then poll and tick until stopped."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime

from services.common.log_reader import LogReader
from services.sla.status import StatusServer
from services.sla.timer import SlaTimer

logger = logging.getLogger(__name__)

Hook = Callable[[datetime], None]


class SlaService:
    """One SLA timer over the routed and work topics.

    State is rebuilt from offset 0 on every start and nothing is emitted until the log has
    been read to the end it had at start: by then every warning or breach an earlier run
    emitted is back in the book, so none is emitted twice.
    """

    def __init__(
        self,
        *,
        reader: LogReader,
        timer: SlaTimer,
        status: StatusServer,
        now: Callable[[], datetime],
        tick_interval_s: float,
        hooks: list[Hook] | None = None,
    ) -> None:
        self.reader, self.timer, self.status, self.now = reader, timer, status, now
        self.tick_interval_s = tick_interval_s
        self.hooks = hooks or []
        self.ready = threading.Event()

    def step(self) -> None:
        """Poll once, fold, and (once caught up) emit what is due."""
        records = self.reader.poll(timeout_ms=int(self.tick_interval_s * 1000))
        with self.status.lock:
            for record in records:
                self.timer.apply(record.spec, record.value)
            if not self.ready.is_set() and self.reader.caught_up():
                self.ready.set()
                logger.info(
                    "sla: log read (%d records, %d items pending)",
                    self.timer.counters.records,
                    len(self.timer.pending),
                )
            if not self.ready.is_set():
                return
            now = self.now()
            self.timer.tick(now)
        for hook in self.hooks:
            hook(now)

    def run(self, *, stop: threading.Event) -> None:
        """Step until `stop` is set (each poll waits at most one tick interval)."""
        self.status.start()
        try:
            while not stop.is_set():
                self.step()
        finally:
            self.status.stop()
            self.reader.close()
