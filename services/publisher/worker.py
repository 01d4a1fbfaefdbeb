"""The publisher's consumer: replies and work events in, one lane per account, safe commits.

Each account (channel) has its own lane, a task that handles that account's records in
order; a rate-limit pause or a slow platform holds up only that lane. Offsets are committed
per partition up to the oldest record whose outcome is not yet acknowledged.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, TopicPartition
from aiokafka.errors import CommitFailedError, KafkaError

from schemas.events import Reply
from schemas.topics import INBOX_WORK, OUTBOX_REPLIES
from schemas.validation import SchemaValidationError, validate
from schemas.work import WorkEvent
from services.common.settings import KafkaSettings
from services.publisher.delivery import Delivery, PermanentFailureError, Source
from services.publisher.domain.offsets import OffsetTracker

logger = logging.getLogger(__name__)

_OURS = frozenset({"reply_retried", "moderation_requested"})
Job = Callable[[], Awaitable[None]]


class _Lanes:
    """One FIFO task per account."""

    def __init__(self) -> None:
        self._queues: dict[str, asyncio.Queue[Job]] = {}
        self._tasks: list[asyncio.Task[None]] = []

    def submit(self, account: str, job: Job) -> None:
        queue = self._queues.get(account)
        if queue is None:
            queue = self._queues[account] = asyncio.Queue()
            self._tasks.append(asyncio.create_task(self._run(queue), name=f"lane-{account}"))
        queue.put_nowait(job)

    @staticmethod
    async def _run(queue: asyncio.Queue[Job]) -> None:
        while True:
            job = await queue.get()
            await job()

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)


class _Revoked(ConsumerRebalanceListener):  # type: ignore[misc]
    def __init__(self, worker: PublisherWorker) -> None:
        self._worker = worker

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        await self._worker.commit()
        for tp in revoked:
            self._worker.tracker.forget(tp)

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        logger.info("publisher assigned %d partitions", len(assigned))


class PublisherWorker:
    """Consumes outbox.replies.v1 and inbox.work.v1 and hands records to Delivery."""

    def __init__(
        self,
        *,
        kafka: KafkaSettings,
        group_id: str,
        delivery: Delivery,
        max_in_flight: int,
        offset_reset: str = "earliest",
        drain_s: float = 10.0,
    ) -> None:
        self._kafka, self._delivery, self._max = kafka, delivery, max_in_flight
        self._offset_reset, self._drain_s = offset_reset, drain_s
        self._replies, self._work = kafka.topic(OUTBOX_REPLIES), kafka.topic(INBOX_WORK)
        self._group_id = group_id
        self._consumer: AIOKafkaConsumer | None = None
        self.tracker = OffsetTracker()
        self._lanes = _Lanes()

    async def run(self, stop: asyncio.Event) -> None:
        """Consume until `stop` is set; commit what finished; close."""
        consumer = self._consumer = AIOKafkaConsumer(
            bootstrap_servers=self._kafka.bootstrap_servers.split(","),
            group_id=self._group_id,
            client_id="switchboard-publisher",
            enable_auto_commit=False,
            auto_offset_reset=self._offset_reset,
            request_timeout_ms=self._kafka.request_timeout_ms,
        )
        consumer.subscribe([self._replies, self._work], listener=_Revoked(self))
        await consumer.start()
        try:
            while not stop.is_set():
                if self.tracker.in_flight >= self._max:
                    await asyncio.sleep(0.05)
                else:
                    batch = await consumer.getmany(timeout_ms=100, max_records=500)
                    for tp, records in batch.items():
                        for record in records:
                            self.tracker.received(tp, record.offset)
                            self._dispatch(tp, record)
                await self.commit()
        finally:
            await self._drain()
            await self._lanes.close()
            await self.commit()
            await consumer.stop()

    async def _drain(self) -> None:
        """On stop, let requests under way finish, for a bounded time.

        A request cut off mid-flight would count as possibly posted on the next start.
        """
        deadline = asyncio.get_running_loop().time() + self._drain_s
        while self.tracker.in_flight and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.05)
            await self.commit()

    async def commit(self) -> None:
        """Commit every partition's position that moved."""
        positions = self.tracker.to_commit()
        if not positions or self._consumer is None:
            return
        try:
            await self._consumer.commit(positions)
            self.tracker.committed(positions)
        except (CommitFailedError, KafkaError) as err:
            logger.warning("commit failed (%s); the records will be redelivered", err)

    def _dispatch(self, tp: TopicPartition, record: Any) -> None:
        raw: bytes = record.value or b""
        source = Source(raw=raw, topic=tp.topic, partition=tp.partition, offset=record.offset)
        job: Job | None
        account: str
        if tp.topic == self._replies:
            account, job = self._reply_job(raw, source)
        else:
            account, job = self._work_job(raw, source)
        if job is None:
            self.tracker.finished(tp, record.offset)
            return

        async def run() -> None:
            try:
                await job()
            except asyncio.CancelledError:
                raise
            except Exception as err:  # a bad record never stops the worker
                logger.exception("publisher could not handle %s@%d", tp, record.offset)
                await self._delivery.dead_letter(
                    PermanentFailureError(f"{type(err).__name__}: {err}"),
                    source=source,
                    platform=None,
                )
            self.tracker.finished(tp, record.offset)

        self._lanes.submit(account, run)

    def _reject(self, err: Exception, source: Source) -> Job:
        async def job() -> None:
            await self._delivery.dead_letter(err, source=source, platform=None)

        return job

    def _reply_job(self, raw: bytes, source: Source) -> tuple[str, Job]:
        try:
            reply = validate(raw, Reply)
        except SchemaValidationError as err:
            return "_invalid", self._reject(err, source)
        return reply.channel_id, lambda: self._delivery.reply(reply, source=source)

    def _work_job(self, raw: bytes, source: Source) -> tuple[str, Job | None]:
        # Most work events are not ours: peek at the type before validating the whole event.
        try:
            kind = json.loads(raw).get("detail", {}).get("type")
        except (ValueError, AttributeError):
            kind = None
        if kind not in _OURS:
            return "", None
        try:
            event = validate(raw, WorkEvent)
        except SchemaValidationError as err:
            return "_invalid", self._reject(err, source)
        if kind == "reply_retried":
            return event.channel_id, lambda: self._delivery.retry(event, source=source)
        return event.channel_id, lambda: self._delivery.moderate(event)
