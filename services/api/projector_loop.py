"""The projector's Kafka loop: poll a batch, apply it in one transaction, then commit offsets.

It reads inbox.routed.v1 (items), inbox.work.v1 (work events) and inbox.admin.v1 (tokens,
campaigns, users). Events the API already folded in (its own, through the outbox) are skipped
by event id; everything else (the publisher's, the SLA timer's, a rebuild's) is folded in.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from kafka import KafkaConsumer, OffsetAndMetadata, TopicPartition
from kafka.errors import CommitFailedError, KafkaError
from sqlalchemy import Engine
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError, StatementError
from sqlmodel import Session

from schemas.admin import AdminEvent
from schemas.enums import ItemAction
from schemas.events import DeadLetter, RoutedItem
from schemas.topics import INBOX_ADMIN, INBOX_DEADLETTER, INBOX_ROUTED, INBOX_WORK, TopicSpec
from schemas.validation import SchemaValidationError, validate
from schemas.work import WorkEvent
from services.api.admin_apply import apply_admin
from services.api.batch_fold import fold_run
from services.api.db import lock_writes, next_change
from services.api.models import ProjectorOffset
from services.api.publisher import Publisher, PublishError
from services.api.routed_apply import apply_routed
from services.api.work_apply import apply_work
from services.common.settings import KafkaSettings

logger = logging.getLogger(__name__)

SOURCE = "api.projector"


PROJECTED: tuple[TopicSpec, ...] = (INBOX_ADMIN, INBOX_ROUTED, INBOX_WORK)


Parsed = RoutedItem | WorkEvent | AdminEvent


def _parse(spec: TopicSpec, raw: bytes) -> Parsed:
    if spec is INBOX_WORK:
        return validate(raw, WorkEvent)
    if spec is INBOX_ADMIN:
        return validate(raw, AdminEvent)
    return validate(raw, RoutedItem)


def _bulk(event: Parsed) -> bool:
    # New-item routings and work events fold in bulk; platform changes and admin events (rare,
    # and touching other rows: posts' copies, tokens, campaigns' retags) one by one.
    if isinstance(event, WorkEvent):
        return True
    return isinstance(event, RoutedItem) and event.item.action is ItemAction.CREATED


def _apply_one(session: Session, *, event: Parsed, now: datetime) -> bool:
    if isinstance(event, WorkEvent):
        return apply_work(session, event=event, seq=next_change(session), now=now)
    if isinstance(event, AdminEvent):
        return apply_admin(session, event=event, now=now)
    return apply_routed(session, event=event, now=now)


def _refused(err: BaseException) -> BaseException | None:
    """The cause when the database refused a record as data; None for anything else."""
    if isinstance(err, OperationalError | InterfaceError):
        return None
    if isinstance(err, StatementError):
        return err.orig or err
    return err if isinstance(err, UnicodeError) else None


def _one_by_one(
    session: Session, run: list[tuple[Any, Parsed]], *, now: datetime, letters: list[DeadLetter]
) -> int:
    applied = 0
    for record, event in run:
        try:
            with session.begin_nested():
                applied += _apply_one(session, event=event, now=now)
        except (StatementError, UnicodeError) as err:
            cause = _refused(err)
            if cause is None:
                raise
            letters.append(
                DeadLetter.from_error(
                    source=SOURCE,
                    error=cause,
                    raw=record.value or b"",
                    now=now,
                    topic=record.topic,
                    partition=record.partition,
                    offset=record.offset,
                )
            )
    return applied


def _fold_run(
    session: Session, run: list[tuple[Any, Parsed]], *, now: datetime, letters: list[DeadLetter]
) -> int:
    if not run:
        return 0
    try:
        with session.begin_nested():
            events = [e for _, e in run if isinstance(e, RoutedItem | WorkEvent)]
            return fold_run(session, events=events, now=now)
    except (StatementError, UnicodeError) as err:
        if _refused(err) is None:
            raise
    # A record the database refuses as data: find it by applying the run one by one.
    return _one_by_one(session, run, now=now, letters=letters)


def project_records(
    session: Session,
    *,
    records: Iterable[Any],
    now: datetime,
    specs: dict[str, TopicSpec] | None = None,
) -> tuple[int, list[DeadLetter]]:
    """Apply records in the caller's transaction; each bad one becomes a dead letter.

    `specs` maps each record's (qualified) topic to its spec; without it every record is
    taken as a routed event. Consecutive new-item routings and work events are folded as one
    run in bulk (batch_fold); other events one by one, in their place, so every event sees
    the ones before it. A record that fails validation, or that the database refuses as data
    (e.g. a NUL byte PostgreSQL will not store), becomes a dead letter alone: a run holding
    one is rolled back to its savepoint and applied record by record. Anything else (the
    database being down) propagates, so the batch is retried rather than dead-lettered.
    """
    applied, letters = 0, []
    run: list[tuple[Any, Parsed]] = []
    for record in records:
        spec = (specs or {}).get(record.topic, INBOX_ROUTED)
        try:
            event = _parse(spec, record.value or b"")
        except SchemaValidationError as err:
            letters.append(
                DeadLetter.from_error(
                    source=SOURCE,
                    error=err,
                    raw=record.value or b"",
                    now=now,
                    topic=record.topic,
                    partition=record.partition,
                    offset=record.offset,
                )
            )
            continue
        if _bulk(event):
            run.append((record, event))
            continue
        applied += _fold_run(session, run, now=now, letters=letters)
        run = []
        applied += _one_by_one(session, [(record, event)], now=now, letters=letters)
    applied += _fold_run(session, run, now=now, letters=letters)
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
        self.specs = {kafka.topic(spec): spec for spec in PROJECTED}
        self._consumer = KafkaConsumer(
            *self.specs,
            bootstrap_servers=kafka.bootstrap_servers.split(","),
            group_id=group_id,
            client_id="switchboard-api-projector",
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            request_timeout_ms=kafka.request_timeout_ms + 5_000,
            # A topic created just before (or after) start is seen within seconds, not the
            # default five minutes during which the group would be assigned nothing.
            metadata_max_age_ms=5_000,
        )

    def poll_once(self) -> int:
        """Poll one batch and apply it; returns how many records were read."""
        polled = self._consumer.poll(timeout_ms=self._poll_ms, max_records=self._batch)
        now = self._clock()
        records = [r for batch in polled.values() for r in batch]
        marks = self._positions()
        with Session(self._engine) as session, session.begin():
            lock_writes(session)
            applied, letters = project_records(session, records=records, now=now, specs=self.specs)
            self._record_positions(session, marks, now=now)
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
            logger.info("projected %d new of %d events", applied, len(records))
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

    def _positions(self) -> list[tuple[TopicPartition, int, int]]:
        # Asked of Kafka before the transaction: no network wait while holding the write lock.
        assigned = list(self._consumer.assignment())
        if not assigned:
            return []
        ends = self._consumer.end_offsets(assigned)
        return [(tp, self._consumer.position(tp), ends.get(tp, 0)) for tp in assigned]

    @staticmethod
    def _record_positions(
        session: Session, marks: list[tuple[TopicPartition, int, int]], *, now: datetime
    ) -> None:
        for tp, position, end in marks:
            row = session.get(ProjectorOffset, (tp.topic, tp.partition))
            row = row or ProjectorOffset(
                topic=tp.topic, partition=tp.partition, position=0, end_offset=0, updated_at=now
            )
            row.position, row.end_offset, row.updated_at = position, max(end, position), now
            session.add(row)

    def run(self, *, stop: threading.Event, max_backoff_s: float = 10.0) -> None:
        """Poll until `stop` is set.

        A failing database, dead-letter send or offsets request is retried with backoff from
        the last committed offsets: the worker never dies quietly (and /readyz says it is not
        ready while its positions go stale).
        """
        logger.info("projector consuming %s", ", ".join(self.specs))
        backoff = 0.5
        while not stop.is_set():
            try:
                self.poll_once()
            except (SQLAlchemyError, KafkaError, PublishError) as err:
                logger.warning(
                    "projector: %s: %s; retrying in %.1fs", type(err).__name__, err, backoff
                )
                stop.wait(backoff)
                backoff = min(max_backoff_s, backoff * 2)
                self._rewind()
                continue
            backoff = 0.5

    def _rewind(self) -> None:
        # The failed batch was polled but not applied: read it again from the committed offsets.
        for tp in self._consumer.assignment():
            try:
                committed = self._consumer.committed(tp)
            except KafkaError:
                committed = None
            if committed is None:
                self._consumer.seek_to_beginning(tp)
            else:
                self._consumer.seek(tp, committed)

    def close(self) -> None:
        """Leave the group."""
        self._consumer.close()
