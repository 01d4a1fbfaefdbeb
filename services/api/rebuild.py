"""Rebuild an API database from the log: routed items, work events and admin events.

Reads every partition of inbox.routed.v1, inbox.work.v1 and inbox.admin.v1 from the start
(no consumer group: a rebuild never moves the live projector's offsets), folds each batch in
one transaction through the same functions the projector and the API use, and stops once it
has reached the end offsets it saw at start.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from kafka import KafkaConsumer, TopicPartition
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from services.api.db import lock_writes
from services.api.models import AuditEvent, Item, ItemEvent
from services.api.projector_loop import PROJECTED, project_records
from services.common.settings import KafkaSettings

logger = logging.getLogger(__name__)


class NotEmptyError(RuntimeError):
    """The target database already holds items or events: rebuild only into a fresh one."""


@dataclass
class RebuildResult:
    """What a rebuild read and wrote."""

    read: Counter[str] = field(default_factory=Counter)
    applied: int = 0
    dead_letters: int = 0
    items: int = 0
    history: int = 0
    audit: int = 0
    seconds: float = 0.0

    @property
    def events(self) -> int:
        """Records read, all topics."""
        return sum(self.read.values())

    def as_dict(self) -> dict[str, object]:
        """The counts the CLI prints."""
        rate = self.events / self.seconds if self.seconds > 0 else 0.0
        return {
            "read": dict(sorted(self.read.items())),
            "events": self.events,
            "applied": self.applied,
            "dead_letters": self.dead_letters,
            "items": self.items,
            "history": self.history,
            "audit": self.audit,
            "seconds": round(self.seconds, 3),
            "events_per_second": round(rate, 1),
        }


def _count(session: Session, model: type[Item] | type[ItemEvent] | type[AuditEvent]) -> int:
    return int(session.exec(select(func.count()).select_from(model)).one())


def rebuild(
    *,
    engine: Engine,
    kafka: KafkaSettings,
    clock: Callable[[], datetime],
    batch: int = 2_000,
    poll_ms: int = 500,
) -> RebuildResult:
    """Fold the topics into the (migrated, empty) database at `engine`; return the counts."""
    with Session(engine) as session:
        if _count(session, Item) or _count(session, AuditEvent):
            raise NotEmptyError("the target database is not empty: rebuild into a fresh one")
    specs = {kafka.topic(spec): spec for spec in PROJECTED}
    consumer = KafkaConsumer(
        bootstrap_servers=kafka.bootstrap_servers.split(","),
        group_id=None,
        client_id="switchboard-api-rebuild",
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        max_partition_fetch_bytes=8 * 1024 * 1024,
    )
    result = RebuildResult()
    started = time.perf_counter()
    try:
        partitions = [
            TopicPartition(topic, p)
            for topic in specs
            for p in sorted(consumer.partitions_for_topic(topic) or ())
        ]
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        ends = {tp: end for tp, end in consumer.end_offsets(partitions).items() if end > 0}
        while any(consumer.position(tp) < end for tp, end in ends.items()):
            polled = consumer.poll(timeout_ms=poll_ms, max_records=batch)
            records = [r for tp, rs in polled.items() for r in rs if r.offset < ends.get(tp, 0)]
            if not records:
                continue
            now = clock()
            with Session(engine) as session, session.begin():
                lock_writes(session)
                applied, letters = project_records(session, records=records, now=now, specs=specs)
            result.applied += applied
            result.dead_letters += len(letters)
            for letter in letters:
                logger.warning(
                    "rebuild skipped %s[%s]@%s: %s",
                    letter.source_topic,
                    letter.source_partition,
                    letter.source_offset,
                    letter.error_type,
                )
            for r in records:
                result.read[specs[r.topic].name] += 1
    finally:
        consumer.close()
    result.seconds = time.perf_counter() - started
    with Session(engine) as session:
        result.items = _count(session, Item)
        result.history = _count(session, ItemEvent)
        result.audit = _count(session, AuditEvent)
    return result
