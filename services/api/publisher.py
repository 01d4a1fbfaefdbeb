"""Publishing events to Kafka from the API: a small interface and its kafka-python adapter."""

from __future__ import annotations

import logging
import threading
from typing import Protocol

from kafka import KafkaProducer
from kafka.errors import KafkaError

from schemas.envelope import Event
from schemas.topics import TopicSpec
from services.common.settings import KafkaSettings

logger = logging.getLogger(__name__)


class PublishError(RuntimeError):
    """The broker did not acknowledge an event in time (HTTP 503 at the edge)."""


class Publisher(Protocol):
    """Sends one event and returns once the broker has acknowledged it."""

    def publish(self, spec: TopicSpec, *, key: str, event: Event) -> None:
        """Publish `event` to the topic of `spec` with `key`; raise PublishError on failure."""

    def close(self) -> None:
        """Release the connection, if any."""


class KafkaPublisher:
    """Publisher over one lazily created KafkaProducer (acks=all, idempotent), thread-safe."""

    def __init__(self, settings: KafkaSettings, *, timeout_s: float = 10.0) -> None:
        self._settings = settings
        self._timeout_s = timeout_s
        self._producer: KafkaProducer | None = None
        self._lock = threading.Lock()

    def _get(self) -> KafkaProducer:
        with self._lock:
            if self._producer is None:
                try:
                    self._producer = KafkaProducer(
                        bootstrap_servers=self._settings.bootstrap_servers.split(","),
                        client_id="switchboard-api",
                        acks="all",
                        enable_idempotence=True,
                        request_timeout_ms=self._settings.request_timeout_ms,
                        max_block_ms=int(self._timeout_s * 1000),
                    )
                except KafkaError as err:
                    raise PublishError(f"cannot reach Kafka: {err}") from err
            return self._producer

    def publish(self, spec: TopicSpec, *, key: str, event: Event) -> None:
        """Publish and wait for the acknowledgement."""
        topic = self._settings.topic(spec)
        try:
            future = self._get().send(topic, key=key.encode(), value=event.to_bytes())
            future.get(timeout=self._timeout_s)
        except KafkaError as err:
            logger.warning("publishing %s to %s failed: %s", event.SCHEMA_NAME, topic, err)
            raise PublishError(f"Kafka did not acknowledge the event: {err}") from err

    def close(self) -> None:
        """Close the producer if one was created."""
        with self._lock:
            if self._producer is not None:
                self._producer.close(timeout=5)
                self._producer = None
