"""The outbox relay: sends committed outbox rows to Kafka in order, retrying until acknowledged.

One relay per database (`switchboard api relay`; `switchboard up` starts it). It reads the
oldest unsent rows in a short read, sends them with an idempotent producer (acks=all, so one
partition's rows stay in order), waits for every acknowledgement, then marks the acknowledged
prefix sent in a short write. A failure leaves the rest unsent and is retried with backoff; a
crash between send and mark re-sends rows, which every consumer skips by event id.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Protocol

from kafka import KafkaProducer
from kafka.errors import KafkaError
from sqlalchemy import Engine, delete, update
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col

from schemas.topics import ALL_TOPICS
from services.api.models import OutboxRow
from services.api.outbox import unsent
from services.common.settings import KafkaSettings

logger = logging.getLogger(__name__)

_SPECS = {spec.name: spec for spec in ALL_TOPICS}


class Sender(Protocol):
    """Sends one record and returns a future whose get(timeout) raises on failure."""

    def send(self, topic: str, *, key: bytes, value: bytes) -> Any:
        """Queue one record."""

    def flush(self, timeout: float | None = None) -> None:
        """Wait for queued records."""

    def close(self, timeout: float | None = None) -> None:
        """Release the connection."""


def kafka_sender(kafka: KafkaSettings) -> Sender:
    """An idempotent, acks=all producer: per-partition order holds across its retries."""
    producer: Sender = KafkaProducer(
        bootstrap_servers=kafka.bootstrap_servers.split(","),
        client_id="switchboard-api-relay",
        acks="all",
        enable_idempotence=True,
        linger_ms=5,
        request_timeout_ms=kafka.request_timeout_ms,
    )
    return producer


class Relay:
    """Moves outbox rows to Kafka."""

    def __init__(
        self,
        *,
        engine: Engine,
        kafka: KafkaSettings,
        clock: Callable[[], datetime],
        sender: Sender | None = None,
        batch: int = 500,
        idle_s: float = 0.2,
        ack_timeout_s: float = 30.0,
        keep_sent: timedelta = timedelta(days=1),
    ) -> None:
        self._engine = engine
        self._kafka = kafka
        self._clock = clock
        self._sender = sender
        self._batch = batch
        self._idle_s = idle_s
        self._ack_timeout_s = ack_timeout_s
        self._keep_sent = keep_sent
        self.sent_total = 0

    def _get_sender(self) -> Sender:
        if self._sender is None:
            self._sender = kafka_sender(self._kafka)
        return self._sender

    def send_once(self) -> int:
        """Send one batch of unsent rows; returns how many were acknowledged and marked."""
        with Session(self._engine) as session:
            rows = unsent(session, limit=self._batch)
        if not rows:
            return 0
        sender = self._get_sender()
        futures = []
        for row in rows:
            topic = self._kafka.topic(_SPECS[row.topic]) if row.topic in _SPECS else row.topic
            futures.append(sender.send(topic, key=row.key.encode(), value=row.payload.encode()))
        acked: list[int] = []
        failure: BaseException | None = None
        for row, future in zip(rows, futures, strict=True):
            try:
                future.get(timeout=self._ack_timeout_s)
            except KafkaError as err:
                failure = err
                break
            assert row.id is not None
            acked.append(row.id)
        if acked:
            self._mark_sent(acked)
        if failure is not None:
            raise failure
        return len(acked)

    def _mark_sent(self, ids: list[int]) -> None:
        now = self._clock()
        with Session(self._engine) as session, session.begin():
            session.execute(update(OutboxRow).where(col(OutboxRow.id).in_(ids)).values(sent_at=now))
        self.sent_total += len(ids)

    def prune(self) -> int:
        """Delete rows sent longer ago than `keep_sent` (Kafka has them)."""
        cutoff = self._clock() - self._keep_sent
        with Session(self._engine) as session, session.begin():
            result = session.execute(
                delete(OutboxRow).where(
                    col(OutboxRow.sent_at).is_not(None), col(OutboxRow.sent_at) < cutoff
                )
            )
        return int(getattr(result, "rowcount", 0) or 0)

    def run(self, *, stop: threading.Event, max_backoff_s: float = 10.0) -> None:
        """Send until `stop` is set; back off (doubling, capped) while Kafka or the DB fail."""
        backoff, loops = 0.2, 0
        logger.info("relay sending the outbox")
        while not stop.is_set():
            try:
                sent = self.send_once()
                loops += 1
                if loops % 1000 == 0:
                    self.prune()
            except (KafkaError, OperationalError) as err:
                logger.warning("relay: %s; retrying in %.1fs", err, backoff)
                stop.wait(backoff)
                backoff = min(max_backoff_s, backoff * 2)
                continue
            backoff = 0.2
            if sent == 0:
                stop.wait(self._idle_s)

    def close(self) -> None:
        """Close the producer."""
        if self._sender is not None:
            self._sender.close(timeout=5)
            self._sender = None
