"""Same-run baselines on the broker itself: one bare produce-to-consume hop."""

from __future__ import annotations

import struct
import threading
import time

from kafka import KafkaConsumer, KafkaProducer

from bench.support import drop_topics, new_prefix, percentile
from services.common.kafka_admin import admin_client


def _topic(bootstrap: str) -> tuple[str, str]:
    from kafka.admin import NewTopic

    prefix = new_prefix("hop")
    name = f"{prefix}hop"
    client = admin_client(bootstrap)
    try:
        client.create_topics([NewTopic(name, num_partitions=6, replication_factor=1)])
    finally:
        client.close()
    return prefix, name


def _consumer(bootstrap: str, topic: str) -> KafkaConsumer:
    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=None,
    )
    consumer.poll(timeout_ms=500)
    return consumer


def hop_latency_ms(bootstrap: str, *, rate: float, seconds: float) -> list[float]:
    """Per-record latency of kafka-python producer (acks=all) -> consumer, at `rate`/s."""
    prefix, topic = _topic(bootstrap)
    consumer = _consumer(bootstrap, topic)
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5)
    latencies: list[float] = []
    total = int(rate * seconds)
    done = threading.Event()

    def read() -> None:
        deadline = time.monotonic() + seconds + 30
        while len(latencies) < total and time.monotonic() < deadline:
            for records in consumer.poll(timeout_ms=100).values():
                now = time.monotonic()
                latencies.extend((now - struct.unpack("d", r.value[:8])[0]) * 1000 for r in records)
        done.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        start = time.monotonic()
        for i in range(total):
            delay = start + i / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            producer.send(
                topic,
                key=str(i % 21).encode(),
                value=struct.pack("d", time.monotonic()) + b"x" * 600,
            )
        producer.flush()
        done.wait(seconds + 30)
    finally:
        producer.close()
        reader.join(timeout=5)
        consumer.close()
        drop_topics(bootstrap, prefix)
    return latencies


def hop_seconds(bootstrap: str, *, n: int) -> float:
    """Time for n records of ~1 KiB to go producer -> broker -> consumer, flat out."""
    prefix, topic = _topic(bootstrap)
    consumer = _consumer(bootstrap, topic)
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5)
    try:
        producer.partitions_for(topic)
        start = time.monotonic()
        for i in range(n):
            producer.send(topic, key=str(i % 21).encode(), value=b"x" * 1000)
        producer.flush()
        seen = 0
        deadline = time.monotonic() + 120
        while seen < n and time.monotonic() < deadline:
            seen += sum(len(r) for r in consumer.poll(timeout_ms=100).values())
        return time.monotonic() - start
    finally:
        producer.close()
        consumer.close()
        drop_topics(bootstrap, prefix)


def summary(values: list[float]) -> dict[str, float]:
    return {
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "p99": percentile(values, 99),
        "max": max(values) if values else float("nan"),
    }
