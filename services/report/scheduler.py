"""The monthly timer: on the first working day of a month, the previous month's reports.

A hook the SLA service's loop calls with its `now` (the same injected clock). The pure
decision is `report_due`; this module only checks the store and runs the generation in a
background thread, so the SLA timer keeps ticking while a month is built. A day missed
(service down) catches up: the check is "due and not stored yet", not "today is the day".
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from schemas.registry import ChannelRegistry
from services.common.settings import KafkaSettings, PathSettings
from services.report.build import generate_month
from services.report.domain.figures import ReportInput
from services.report.domain.month import report_due
from services.report.settings import ReportSettings
from services.report.source import read_input
from services.report.store import find_report
from services.router.domain.calendar import OfficeCalendar

logger = logging.getLogger(__name__)


class MonthlyReports:
    """Generates a month's reports once they are due and not yet stored."""

    def __init__(
        self,
        *,
        report: ReportSettings,
        source: Callable[[], ReportInput],
        root: Path,
        registry: ChannelRegistry,
        calendar: OfficeCalendar,
    ) -> None:
        self.report, self.source, self.registry, self.calendar = report, source, registry, calendar
        self.root = root
        self._thread: threading.Thread | None = None
        self._checked: tuple[str, str] | None = None
        self.generated: list[str] = []

    def __call__(self, now: datetime) -> None:
        """Start generating when a month is due and missing; at most one run at a time."""
        month = report_due(now, self.calendar)
        if month is None or (self._thread is not None and self._thread.is_alive()):
            return
        key = (month.label, now.astimezone(self.calendar.zone).date().isoformat())
        if key == self._checked:
            return
        self._checked = key
        root = self.root
        if find_report(root, month=month.label, slug="all") is not None:
            return

        def run() -> None:
            try:
                data = self.source()
                generate_month(data=data, month=month, registry=self.registry, root=root,
                               count_submitted=self.report.count_submitted)  # fmt: skip
                self.generated.append(month.label)
            except Exception:
                # Logged and retried the next day: a failed report must not stop the timer.
                logger.exception("report: generating %s failed", month.label)

        self._thread = threading.Thread(target=run, name="monthly-report", daemon=True)
        self._thread.start()

    def join(self, timeout: float | None = None) -> None:
        """Wait for a running generation (tests)."""
        if self._thread is not None:
            self._thread.join(timeout)


def monthly_report_hook(
    *, report: ReportSettings, kafka: KafkaSettings, paths: PathSettings, registry: ChannelRegistry
) -> MonthlyReports:
    """The hook on the office calendar (the triage queue's when there is no `office`)."""
    name = "office" if "office" in registry.calendars else registry.calendar_for_queue("triage")[0]
    return MonthlyReports(
        report=report,
        source=lambda: read_input(kafka),
        root=report.reports_dir(paths),
        registry=registry,
        calendar=OfficeCalendar(registry.calendars[name], name=name),
    )
