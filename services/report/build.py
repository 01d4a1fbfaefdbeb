"""Generate reports: figures from events, files on disk (one function per use)."""

from __future__ import annotations

import logging
from pathlib import Path

from schemas.registry import ChannelRegistry
from services.report.domain.figures import ReportInput, Scope, build_figures
from services.report.domain.month import Month
from services.report.files import write_report
from services.report.store import report_folder
from services.router.domain.calendar import OfficeCalendar, build_calendars

logger = logging.getLogger(__name__)


def generate(
    *,
    data: ReportInput,
    month: Month,
    scope: Scope,
    registry: ChannelRegistry,
    out: Path,
    count_submitted: bool = True,
    calendars: dict[str, OfficeCalendar] | None = None,
) -> dict[str, Path]:
    """Build one report's figures and write its four files under `out`."""
    figures = build_figures(
        month=month,
        scope=scope,
        data=data,
        registry=registry,
        calendars=calendars or build_calendars(registry),
        count_submitted=count_submitted,
    )
    return write_report(figures, out)


def active_queues(data: ReportInput, month: Month) -> list[str]:
    """Queues with an item routed or a work event in the month."""
    queues = {r.queue for r in data.routed if month.contains(r.occurred_at)}
    queues |= {w.queue for w in data.work if month.contains(w.occurred_at)}
    return sorted(queues)


def generate_month(
    *,
    data: ReportInput,
    month: Month,
    registry: ChannelRegistry,
    root: Path,
    count_submitted: bool = True,
) -> list[Path]:
    """The organisation's report and one per queue that was active, stored under `root`.

    A queue is active in a month when an item arrived in it or a work event happened in it.
    The "all" report is written last, so its presence means the month is complete.
    """
    calendars = build_calendars(registry)
    scopes = [Scope("queue", q) for q in active_queues(data, month)] + [Scope()]
    folders = []
    for scope in scopes:
        folder = report_folder(root, month=month.label, slug=scope.slug)
        generate(data=data, month=month, scope=scope, registry=registry, out=folder,
                 count_submitted=count_submitted, calendars=calendars)  # fmt: skip
        folders.append(folder)
    logger.info("report: %s generated (%d reports) under %s", month.label, len(folders), root)
    return folders
