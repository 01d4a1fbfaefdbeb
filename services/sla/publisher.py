"""Sends the timer's work events to inbox.work.v1 and waits for each acknowledgement."""

from __future__ import annotations

from schemas.topics import INBOX_WORK
from schemas.work import WorkEvent
from services.common.kafka_publisher import KafkaPublisher, PublishError
from services.common.settings import KafkaSettings
from services.sla.timer import EmitError


class WorkEventProducer:
    """The shared Kafka publisher, keyed by the item as the topic requires."""

    def __init__(self, kafka: KafkaSettings, *, timeout_s: float = 10.0) -> None:
        self._publisher = KafkaPublisher(kafka, timeout_s=timeout_s, client_id="switchboard-sla")

    def send(self, event: WorkEvent) -> None:
        """Publish one event; EmitError when the broker does not acknowledge it in time."""
        try:
            self._publisher.publish(INBOX_WORK, key=str(event.item_event_id), event=event)
        except PublishError as err:
            raise EmitError(str(err)) from err

    def close(self) -> None:
        """Flush and close."""
        self._publisher.close()
