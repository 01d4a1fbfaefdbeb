"""The monthly timer: generates the previous month once, on its first working day."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from schemas.registry import ChannelRegistry
from services.report.domain.figures import ReportInput
from services.report.scheduler import MonthlyReports
from services.report.settings import ReportSettings
from services.report.store import list_reports
from services.router.domain.calendar import OfficeCalendar
from tests.unit.sla.builders import inbox, routed


def test_the_previous_month_once_on_the_first_working_day(
    registry: ChannelRegistry, tmp_path: Path
) -> None:
    reads: list[int] = []
    item = inbox(created="2026-12-15T10:00:00+00:00")

    def source() -> ReportInput:
        reads.append(1)
        return ReportInput(routed=[routed(item, when="2026-12-15T10:00:00+00:00")], work=[],
                           campaigns=[], dead_letters=[])  # fmt: skip

    timer = MonthlyReports(report=ReportSettings(), source=source, root=tmp_path,
                           registry=registry,
                           calendar=OfficeCalendar(registry.calendars["office"]))  # fmt: skip
    timer(datetime.fromisoformat("2027-01-01T12:00:00+00:00"))  # New Year's Day: not yet
    timer(datetime.fromisoformat("2027-01-03T12:00:00+00:00"))  # Sunday: not yet
    assert reads == []
    timer(datetime.fromisoformat("2027-01-04T00:00:01+00:00"))  # the first working day
    timer.join(120)
    assert [r.report_id for r in list_reports(tmp_path)] == ["2026-12/all", "2026-12/queue-press"]
    assert timer.generated == ["2026-12"]
    # Later ticks the same day, and on later days, find it stored and do nothing.
    timer(datetime.fromisoformat("2027-01-04T00:00:02+00:00"))
    timer(datetime.fromisoformat("2027-01-05T09:00:00+00:00"))
    timer.join(120)
    assert reads == [1]
