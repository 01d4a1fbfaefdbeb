"""Reading back what ingest produced, from the real broker."""

from __future__ import annotations

from kafka import KafkaConsumer, TopicPartition

from schemas import TopicSpec
from services.common.settings import KafkaSettings
from tests.support.kafka import KafkaRecorder


def read_topic(
    kafka: KafkaSettings, spec: TopicSpec, *, expect: int, timeout_ms: int = 15_000
) -> list[tuple[bytes | None, bytes]]:
    """Every record on a (test-prefixed) topic, from the beginning: (key, value) pairs.

    Stops once `expect` records were read, or after `timeout_ms` without a new one, so a
    test asserting that nothing arrived waits the full timeout.
    """
    with KafkaRecorder.of(kafka, spec) as recorder:
        found = recorder.collect(count=expect, idle_s=timeout_ms / 1000)
    return [(r.key, r.value) for r in found if r.value is not None]


def end_offsets(kafka: KafkaSettings, spec: TopicSpec) -> int:
    """Total records ever written to a topic: proves that nothing was produced."""
    consumer = KafkaConsumer(bootstrap_servers=kafka.bootstrap_servers)
    try:
        name = kafka.topic(spec)
        parts = [TopicPartition(name, p) for p in range(spec.partitions)]
        return sum(consumer.end_offsets(parts).values())
    finally:
        consumer.close()
