"""Builds the whole SLA service from one settings object (plus test overrides)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from schemas.registry import load_registry
from schemas.topics import INBOX_ROUTED, INBOX_WORK
from schemas.work import WorkEvent
from services.common.log_reader import LogReader
from services.router.clock import Clock, clock_for
from services.sla.service import Hook, SlaService
from services.sla.settings import SlaServiceSettings
from services.sla.status import StatusServer
from services.sla.timer import SlaTimer


def build_service(
    settings: SlaServiceSettings,
    *,
    clock: Clock | None = None,
    emit: Callable[[WorkEvent], None] | None = None,
    hooks: list[Hook] | None = None,
) -> SlaService:
    """The SLA service: log reader, timer, producer, status server and report hook."""
    cfg = settings.sla
    registry = load_registry(settings.paths.registry_path)
    the_clock = clock or clock_for(cfg.clock_file)
    if emit is None:
        from services.sla.publisher import WorkEventProducer

        emit = WorkEventProducer(settings.kafka).send
    timer = SlaTimer(registry=registry, emit=emit, count_submitted=cfg.count_submitted)
    reader = LogReader(
        kafka=settings.kafka, specs=(INBOX_ROUTED, INBOX_WORK), client_id="switchboard-sla"
    )
    service: SlaService | None = None

    def ready() -> bool:
        return service is not None and service.ready.is_set()

    status = StatusServer(host=cfg.web_host, port=cfg.web_port, timer=timer, ready=ready)
    all_hooks = list(hooks or [])
    if hooks is None and cfg.reports:
        from services.report.scheduler import monthly_report_hook

        all_hooks.append(
            monthly_report_hook(
                report=settings.report,
                kafka=settings.kafka,
                paths=settings.paths,
                registry=registry,
            )
        )

    def now() -> datetime:
        return the_clock.now()

    service = SlaService(
        reader=reader,
        timer=timer,
        status=status,
        now=now,
        tick_interval_s=cfg.tick_interval_s,
        hooks=all_hooks,
    )
    return service
