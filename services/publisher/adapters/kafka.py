"""Kafka edges of the publisher: an acknowledged outbox, and the consumer with its lanes."""

from __future__ import annotations

import asyncio
import logging

from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError

from schemas.events import DeadLetter
from schemas.topics import INBOX_DEADLETTER, INBOX_WORK
from schemas.work import WorkEvent
from services.common.settings import KafkaSettings

logger = logging.getLogger(__name__)


class KafkaOutbox:
    """Publishes outcomes with acks=all, retrying until the broker acknowledges.

    Giving up would lose an outcome whose reply is already posted; holding the input's
    offset uncommitted while the broker is away is the safe alternative.
    """

    def __init__(self, kafka: KafkaSettings, *, max_backoff_s: float = 5.0) -> None:
        self._kafka = kafka
        self._producer: AIOKafkaProducer | None = None
        self._max_backoff_s = max_backoff_s

    async def start(self) -> None:
        """Connect (aiokafka clients belong to the running event loop, so made here)."""
        self._producer = AIOKafkaProducer(
            bootstrap_servers=self._kafka.bootstrap_servers.split(","),
            client_id="switchboard-publisher",
            acks="all",
            enable_idempotence=True,
            request_timeout_ms=self._kafka.request_timeout_ms,
        )
        await self._producer.start()

    async def stop(self) -> None:
        """Flush and disconnect."""
        if self._producer is not None:
            await self._producer.stop()

    async def _send(self, topic: str, key: str, value: bytes) -> None:
        if self._producer is None:
            raise RuntimeError("KafkaOutbox.start() was not called")
        delay = 0.2
        while True:
            try:
                await self._producer.send_and_wait(topic, value=value, key=key.encode())
                return
            except KafkaError as err:
                logger.warning("publishing to %s failed (%s); retrying in %.1fs", topic, err, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, self._max_backoff_s)

    async def work(self, event: WorkEvent) -> None:
        """A work event, keyed by its item so an item's events stay in order."""
        await self._send(self._kafka.topic(INBOX_WORK), str(event.item_event_id), event.to_bytes())

    async def dead_letter(self, letter: DeadLetter) -> None:
        """A dead letter, keyed by its source."""
        await self._send(self._kafka.topic(INBOX_DEADLETTER), letter.source, letter.to_bytes())
