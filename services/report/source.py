"""Reads the report's inputs from the topics: routed, work, campaigns and dead letters."""

from __future__ import annotations

import logging

from schemas.envelope import Event
from schemas.events import Campaign, DeadLetter, RoutedItem
from schemas.topics import INBOX_CAMPAIGNS, INBOX_DEADLETTER, INBOX_ROUTED, INBOX_WORK
from schemas.validation import SchemaValidationError, validate
from schemas.work import WorkEvent
from services.common.log_reader import LogReader
from services.common.settings import KafkaSettings
from services.report.domain.figures import ReportInput

logger = logging.getLogger(__name__)

_MODELS: dict[str, type[Event]] = {
    INBOX_ROUTED.name: RoutedItem,
    INBOX_WORK.name: WorkEvent,
    INBOX_CAMPAIGNS.name: Campaign,
    INBOX_DEADLETTER.name: DeadLetter,
}


def read_input(kafka: KafkaSettings) -> ReportInput:
    """Every event of the four topics up to their current end.

    Invalid records are skipped and logged: the projector and router dead-letter them.
    """
    reader = LogReader(
        kafka=kafka,
        specs=(INBOX_ROUTED, INBOX_WORK, INBOX_CAMPAIGNS, INBOX_DEADLETTER),
        client_id="switchboard-report",
    )
    found: dict[str, dict[str, Event]] = {name: {} for name in _MODELS}
    skipped = 0
    try:
        for record in reader.read_to_end():
            model = _MODELS[record.spec.name]
            try:
                event = validate(record.value, model)
            except SchemaValidationError as err:
                skipped += 1
                logger.warning("report: skipping a record of %s: %s", record.spec.name, err)
                continue
            # Keyed by event id: a duplicate on the log counts once.
            found[record.spec.name][str(event.event_id)] = event
    finally:
        reader.close()
    if skipped:
        logger.warning("report: %d invalid records skipped", skipped)
    return ReportInput(
        routed=[e for e in found[INBOX_ROUTED.name].values() if isinstance(e, RoutedItem)],
        work=[e for e in found[INBOX_WORK.name].values() if isinstance(e, WorkEvent)],
        campaigns=[e for e in found[INBOX_CAMPAIGNS.name].values() if isinstance(e, Campaign)],
        dead_letters=[
            e for e in found[INBOX_DEADLETTER.name].values() if isinstance(e, DeadLetter)
        ],
    )
