"""Sends the timer's work events to inbox.work.v1 and waits for each acknowledgement."""

from __future__ import annotations

from kafka import KafkaProducer
from kafka.errors import KafkaError

from schemas.topics import INBOX_WORK
from schemas.work import WorkEvent
from services.common.settings import KafkaSettings
from services.sla.timer import EmitError


class WorkEventProducer:
    """A KafkaProducer (acks=all, idempotent) keyed by the item, as the topic requires."""

    def __init__(self, kafka: KafkaSettings, *, timeout_s: float = 10.0) -> None:
        self._topic = kafka.topic(INBOX_WORK)
        self._timeout_s = timeout_s
        self._producer = KafkaProducer(
            bootstrap_servers=kafka.bootstrap_servers.split(","),
            client_id="switchboard-sla",
            acks="all",
            enable_idempotence=True,
            request_timeout_ms=kafka.request_timeout_ms,
        )

    def send(self, event: WorkEvent) -> None:
        """Publish one event; EmitError when the broker does not acknowledge it in time."""
        try:
            future = self._producer.send(
                self._topic, key=str(event.item_event_id).encode(), value=event.to_bytes()
            )
            future.get(timeout=self._timeout_s)
        except KafkaError as err:
            raise EmitError(str(err)) from err

    def close(self) -> None:
        """Flush and close."""
        self._producer.close()
