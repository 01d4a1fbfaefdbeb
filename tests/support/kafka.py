"""One reader for every test and benchmark that watches a real topic: the Kafka recorder.

It reads a topic from the beginning (or from the moment it is made) and keeps every record it
has seen, so a test can `record` what arrived, `expect` what must arrive within a timeout, and
`settle` for a while to catch extras (duplicates). Always a real broker: no mocks of Kafka.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kafka import KafkaConsumer

from schemas.topics import TopicSpec
from services.common.settings import KafkaSettings


@dataclass(frozen=True)
class Recorded:
    """One record as the broker gave it (value None is a tombstone)."""

    key: bytes | None
    value: bytes | None
    partition: int
    timestamp: int

    def json(self) -> Any:
        assert self.value is not None, "a tombstone has no JSON body"
        return json.loads(self.value)


class KafkaRecorder:
    """Reads one topic without a consumer group and keeps everything it saw."""

    def __init__(self, bootstrap: str, topic: str, *, from_start: bool = True) -> None:
        self.topic = topic
        self.records: list[Recorded] = []
        self.consumer = KafkaConsumer(
            topic,
            bootstrap_servers=bootstrap.split(","),
            auto_offset_reset="earliest" if from_start else "latest",
            enable_auto_commit=False,
            group_id=None,
        )
        if not from_start:
            # Pin "latest" now, so records produced after this line are all seen.
            while not self.consumer.assignment():
                self.consumer.poll(timeout_ms=200)
            for tp in self.consumer.assignment():
                self.consumer.position(tp)

    @classmethod
    def of(cls, kafka: KafkaSettings, spec: TopicSpec, *, from_start: bool = True) -> KafkaRecorder:
        """A recorder of `spec` under the settings' topic prefix."""
        return cls(kafka.bootstrap_servers, kafka.topic(spec), from_start=from_start)

    @property
    def seen(self) -> list[Any]:
        """The JSON bodies of every record so far (tombstones left out)."""
        return [r.json() for r in self.records if r.value is not None]

    def record(self, *, timeout_ms: int = 500, max_records: int | None = None) -> list[Recorded]:
        """One poll: keep and return what arrived."""
        new: list[Recorded] = []
        polled = self.consumer.poll(timeout_ms=timeout_ms, max_records=max_records)
        for batch in polled.values():
            new.extend(Recorded(r.key, r.value, r.partition, r.timestamp) for r in batch)
        self.records.extend(new)
        return new

    def expect(self, predicate: Callable[[list[Any]], bool], *, timeout: float = 60) -> list[Any]:
        """Read until predicate(seen) holds; return seen. AssertionError on timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.record()
            if predicate(self.seen):
                return self.seen
        raise AssertionError(f"timed out waiting on {self.topic}; saw {len(self.records)}")

    def expect_record(self, match: Callable[[Recorded], bool], *, timeout: float = 60) -> Recorded:
        """Read until one record matches; return the first that does."""
        deadline = time.monotonic() + timeout
        while True:
            for r in self.records:
                if match(r):
                    return r
            if time.monotonic() > deadline:
                raise AssertionError(f"no matching record on {self.topic}; saw {len(self.records)}")
            self.record()

    def until(self, match: Callable[[Recorded], bool], *, timeout: float = 20) -> list[Recorded]:
        """Every record up to and including the first that matches."""
        first = self.expect_record(match, timeout=timeout)
        return self.records[: self.records.index(first) + 1]

    def collect(self, *, count: int, idle_s: float) -> list[Recorded]:
        """Read until `count` records (when count > 0) or idle_s pass without a new one.

        With count 0 it always waits the full idle time: proof that nothing arrived.
        """
        quiet_since = time.monotonic()
        while not (0 < count <= len(self.records)):
            if self.record():
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since > idle_s:
                break
        return self.records[:count] if count > 0 else list(self.records)

    def settle(self, seconds: float) -> list[Any]:
        """Keep reading for a while, to catch anything extra (duplicates); return seen."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.record()
        return self.seen

    def close(self) -> None:
        self.consumer.close()

    def __enter__(self) -> KafkaRecorder:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
