"""The one Kafka publisher every service produces with: wait for the broker's acks, or raise.

The producer is idempotent with acks='all', and every send is awaited before a caller
answers its client, so "accepted" always means "in Kafka". It is created on first use and
re-created after a failed connection, so a server can start before the broker and answer
503 until it is reachable.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from kafka import KafkaProducer
from kafka.errors import KafkaError

from schemas import INBOX_DEADLETTER, INBOX_ITEMS, DeadLetter, InboxItem
from schemas.envelope import Event
from schemas.topics import TopicSpec
from services.common.settings import KafkaSettings

logger = logging.getLogger(__name__)


class PublishError(RuntimeError):
    """The broker did not acknowledge: nothing may be reported as accepted (HTTP 503)."""


class Publisher(Protocol):
    """Sends one event and returns once the broker has acknowledged it."""

    def publish(self, spec: TopicSpec, *, key: str, event: Event) -> None:
        """Publish `event` to the topic of `spec` with `key`; raise PublishError on failure."""

    def close(self) -> None:
        """Release the connection, if any."""


ProducerFactory = Callable[[KafkaSettings, int, str], Any]


def kafka_producer(kafka: KafkaSettings, timeout_ms: int, client_id: str) -> Any:
    """A kafka-python producer that gives up after `timeout_ms` rather than blocking."""
    return KafkaProducer(
        bootstrap_servers=kafka.bootstrap_servers.split(","),
        client_id=client_id,
        acks="all",
        enable_idempotence=True,
        linger_ms=5,
        request_timeout_ms=min(kafka.request_timeout_ms, timeout_ms),
        bootstrap_timeout_ms=timeout_ms,
        max_block_ms=timeout_ms,
        delivery_timeout_ms=max(timeout_ms, kafka.request_timeout_ms + 5),
        reconnect_backoff_max_ms=1000,
    )


class KafkaPublisher:
    """Publisher over one lazily created kafka-python producer, thread-safe.

    Besides `publish`, it produces ingest's records: inbox items keyed by channel_id and
    dead letters keyed by source (`publish_items`, `publish_dead_letter`).
    """

    def __init__(
        self,
        kafka: KafkaSettings,
        *,
        timeout_s: float = 10.0,
        client_id: str = "switchboard",
        factory: ProducerFactory = kafka_producer,
    ) -> None:
        self._kafka = kafka
        self._timeout_s = timeout_s
        self._client_id = client_id
        self._factory = factory
        self._producer: Any = None
        self._lock = threading.Lock()
        self.items_topic = kafka.topic(INBOX_ITEMS)
        self.deadletter_topic = kafka.topic(INBOX_DEADLETTER)

    def _get(self) -> Any:
        with self._lock:
            if self._producer is None:
                timeout_ms = int(self._timeout_s * 1000)
                try:
                    self._producer = self._factory(self._kafka, timeout_ms, self._client_id)
                except KafkaError as err:
                    raise PublishError(
                        f"Kafka unreachable at {self._kafka.bootstrap_servers}: {err}"
                    ) from err
            return self._producer

    def _send_all(self, records: list[tuple[str, bytes, bytes]]) -> None:
        producer = self._get()
        try:
            futures = [producer.send(t, key=k, value=v) for t, k, v in records]
            for future in futures:
                future.get(timeout=self._timeout_s)
        except KafkaError as err:
            topics = sorted({t for t, _, _ in records})
            logger.warning("publishing to %s failed: %s", ",".join(topics), err)
            raise PublishError(f"Kafka did not acknowledge: {type(err).__name__}: {err}") from err

    def publish(self, spec: TopicSpec, *, key: str, event: Event) -> None:
        """Publish one event and wait for the acknowledgement."""
        self._send_all([(self._kafka.topic(spec), key.encode(), event.to_bytes())])

    def publish_items(self, items: Sequence[InboxItem]) -> None:
        """Produce items to inbox.items.v1 keyed by channel_id and wait for every ack."""
        self._send_all([(self.items_topic, i.channel_id.encode(), i.to_bytes()) for i in items])

    def publish_dead_letter(self, letter: DeadLetter) -> None:
        """Produce a dead letter to inbox.deadletter.v1 keyed by source and wait for the ack."""
        self._send_all([(self.deadletter_topic, letter.source.encode(), letter.to_bytes())])

    def close(self) -> None:
        """Flush pending sends and close the producer."""
        with self._lock:
            if self._producer is not None:
                try:
                    self._producer.close(timeout=self._timeout_s)
                except KafkaError:
                    logger.warning("Kafka producer did not close cleanly")
                self._producer = None
