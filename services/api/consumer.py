"""The projector's Kafka loop: poll a batch, apply it in one transaction, then commit offsets."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from kafka import KafkaConsumer, OffsetAndMetadata, TopicPartition
from kafka.errors import CommitFailedError
from sqlalchemy import Engine
from sqlalchemy.exc import InterfaceError, OperationalError, StatementError
from sqlmodel import Session

from schemas.events import DeadLetter, RoutedItem
from schemas.topics import INBOX_DEADLETTER, INBOX_ROUTED
from schemas.validation import SchemaValidationError, validate
from services.api.db import lock_writes
from services.api.models import ProjectorOffset
from services.api.projector import apply_routed
from services.api.publisher import Publisher
from services.common.settings import KafkaSettings

logger = logging.getLogger(__name__)

SOURCE = "api.projector"


def dead_letter(*, record: Any, error: BaseException, now: datetime) -> DeadLetter:
    """A dead letter for a record that could not be projected, with its original bytes."""
    return DeadLetter.from_error(
        source=SOURCE,
        error=error,
        raw=record.value or b"",
        now=now,
        topic=record.topic,
        partition=record.partition,
        offset=record.offset,
    )


def project_records(
    session: Session, *, records: Iterable[Any], now: datetime
) -> tuple[int, list[DeadLetter]]:
    """Apply records in the caller's transaction; each bad one becomes a dead letter.

    A record that fails validation, or that the database refuses as data (e.g. a NUL byte
    PostgreSQL will not store), is rolled back alone via a savepoint. Anything else (the
    database being down) propagates, so the batch is retried rather than dead-lettered.
    """
    applied, letters = 0, []
    for record in records:
        try:
            event = validate(record.value or b"", RoutedItem)
        except SchemaValidationError as err:
            letters.append(dead_letter(record=record, error=err, now=now))
            continue
        try:
            with session.begin_nested():
                applied += apply_routed(session, event=event, now=now)
        except (OperationalError, InterfaceError):
            raise
        except (StatementError, UnicodeError) as err:
            cause = err.orig if isinstance(err, StatementError) and err.orig else err
            letters.append(dead_letter(record=record, error=cause, now=now))
    return applied, letters


class Projector:
    """A member of the projector consumer group."""

    def __init__(
        self,
        *,
        engine: Engine,
        kafka: KafkaSettings,
        publisher: Publisher,
        group_id: str,
        clock: Callable[[], datetime],
        batch: int = 500,
        poll_ms: int = 1_000,
    ) -> None:
        self._engine = engine
        self._publisher = publisher
        self._clock = clock
        self._batch = batch
        self._poll_ms = poll_ms
        self.topic = kafka.topic(INBOX_ROUTED)
        self._consumer = KafkaConsumer(
            self.topic,
            bootstrap_servers=kafka.bootstrap_servers.split(","),
            group_id=group_id,
            client_id="switchboard-api-projector",
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            request_timeout_ms=kafka.request_timeout_ms + 5_000,
        )

    def poll_once(self) -> int:
        """Poll one batch and apply it; returns how many records were read."""
        polled = self._consumer.poll(timeout_ms=self._poll_ms, max_records=self._batch)
        now = self._clock()
        records = [r for batch in polled.values() for r in batch]
        with Session(self._engine) as session, session.begin():
            lock_writes(session)
            applied, letters = project_records(session, records=records, now=now)
            self._record_positions(session, now=now)
        for letter in letters:
            logger.warning(
                "dead-lettering %s[%s]@%s: %s",
                letter.source_topic,
                letter.source_partition,
                letter.source_offset,
                letter.error_type,
            )
            self._publisher.publish(INBOX_DEADLETTER, key=SOURCE, event=letter)
        if records:
            self._commit(polled)
            logger.info("projected %d new of %d routed events", applied, len(records))
        return len(records)

    def _commit(self, polled: dict[TopicPartition, list[Any]]) -> None:
        offsets = {
            tp: OffsetAndMetadata(batch[-1].offset + 1, "", -1)
            for tp, batch in polled.items()
            if batch
        }
        try:
            self._consumer.commit(offsets)
        except CommitFailedError as err:
            # A rebalance moved the partitions: the new owner re-applies, harmlessly.
            logger.warning("offset commit failed after a rebalance: %s", err)

    def _record_positions(self, session: Session, *, now: datetime) -> None:
        assigned = list(self._consumer.assignment())
        if not assigned:
            return
        ends = self._consumer.end_offsets(assigned)
        for tp in assigned:
            position = self._consumer.position(tp)
            row = session.get(ProjectorOffset, (tp.topic, tp.partition))
            row = row or ProjectorOffset(
                topic=tp.topic, partition=tp.partition, position=0, end_offset=0, updated_at=now
            )
            row.position, row.end_offset, row.updated_at = position, ends.get(tp, 0), now
            session.add(row)

    def run(self, *, stop: threading.Event) -> None:
        """Poll until `stop` is set."""
        logger.info("projector consuming %s", self.topic)
        while not stop.is_set():
            self.poll_once()

    def close(self) -> None:
        """Leave the group."""
        self._consumer.close()
