"""Read whole topics from the beginning, without a consumer group.

For services whose state is a fold of the log (the SLA timer, the monthly report): every
start reads every partition from offset 0, so there are no committed offsets to lose or
to disagree with the state. `caught_up()` says when the end offsets seen at start are
reached, which is when such a service may act on its state.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from kafka import KafkaConsumer, TopicPartition

from schemas.topics import TopicSpec
from services.common.settings import KafkaSettings

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class LogRecord:
    """One record's topic (base name, without the deployment prefix) and bytes."""

    spec: TopicSpec
    value: bytes
    partition: int
    offset: int


class LogReader:
    """Every partition of some topics, from the beginning, then following new records."""

    def __init__(
        self,
        *,
        kafka: KafkaSettings,
        specs: Iterable[TopicSpec],
        client_id: str,
        metadata_wait_s: float = 10.0,
    ) -> None:
        self._specs = {kafka.topic(s): s for s in specs}
        self._consumer = KafkaConsumer(
            bootstrap_servers=kafka.bootstrap_servers.split(","),
            client_id=client_id,
            enable_auto_commit=False,
            request_timeout_ms=kafka.request_timeout_ms + 5_000,
        )
        partitions = []
        for topic in self._specs:
            found = self._partitions(topic, wait_s=metadata_wait_s)
            partitions += [TopicPartition(topic, p) for p in sorted(found)]
        self._consumer.assign(partitions)
        self._consumer.seek_to_beginning(*partitions)
        self._ends: dict[TopicPartition, int] = dict(self._consumer.end_offsets(partitions))
        self._done = False

    def _partitions(self, topic: str, *, wait_s: float) -> set[int]:
        # A topic created a moment ago may not be in the first metadata answer yet.
        deadline = time.monotonic() + wait_s
        while True:
            found = self._consumer.partitions_for_topic(topic)
            if found:
                return set(found)
            if time.monotonic() >= deadline:
                raise LookupError(f"topic {topic} does not exist (run `switchboard topics create`)")
            time.sleep(0.2)

    def poll(self, *, timeout_ms: int = 500, max_records: int = 2_000) -> list[LogRecord]:
        """The next records, any partition order; an empty list when none came in time."""
        polled = self._consumer.poll(timeout_ms=timeout_ms, max_records=max_records)
        return [
            LogRecord(self._specs[tp.topic], r.value or b"", tp.partition, r.offset)
            for tp, batch in polled.items()
            for r in batch
        ]

    def caught_up(self) -> bool:
        """True once every partition reached the end offset it had when the reader started."""
        if not self._done:
            self._done = all(self._consumer.position(tp) >= end for tp, end in self._ends.items())
        return self._done

    def read_to_end(self, *, timeout_ms: int = 500) -> Iterator[LogRecord]:
        """Every record up to the end offsets seen at start, then stop."""
        while not self.caught_up():
            yield from self.poll(timeout_ms=timeout_ms)

    def close(self) -> None:
        """Close the consumer."""
        self._consumer.close()
