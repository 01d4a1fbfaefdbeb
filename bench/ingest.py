"""1. Ingest: normalise + produce items/s for a mix of real payload formats.

Baseline: a bare kafka-python producer (the same producer settings as ingest) sending exactly
the bytes ingest produced, in the same pattern. Two patterns: one payload at a time, each
waiting for the broker's ack (what one webhook request does), and 8 threads at once (what
uvicorn's thread pool does under concurrent webhooks). Plus normalise alone against
json.loads of the same bodies (the CPU share of ingest).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from bench.context import Context
from bench.report import Figure, Result
from bench.support import drop_topics, make_topics, new_prefix
from schemas import INBOX_ITEMS, Platform
from schemas.registry import DEFAULT_REGISTRY_PATH, ChannelRegistry, load_registry
from services.common.kafka_publisher import KafkaPublisher, kafka_producer
from services.common.settings import KafkaSettings
from services.ingest.pipeline import ingest_payload, normalise_bytes
from services.supervisor.demo import Delivery, demo_stream
from services.supervisor.demo_run import write_demo_registry

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
THREADS = 8


def payload_mix(count: int, *, first_id: int) -> list[Delivery]:
    """The demo's mix: X mentions (six accounts), Facebook, Instagram, YouTube, Flickr, LinkedIn."""
    return demo_stream(seed=7, start=NOW, count=count, first_id=first_id, extras=False)


def _body(d: Delivery) -> bytes:
    return d.payload.encode() if isinstance(d.payload, str) else json.dumps(d.payload).encode()


def _timed(fn: Callable[[], int]) -> tuple[int, float]:
    start = time.perf_counter()
    count = fn()
    return count, time.perf_counter() - start


def _run_ingest(
    jobs: list[tuple[Delivery, bytes]],
    *,
    kafka: KafkaSettings,
    registry: ChannelRegistry,
    threads: int,
) -> tuple[int, float]:
    publisher = KafkaPublisher(kafka=kafka)
    publisher.publish_items([])  # connect before timing

    def one(job: tuple[Delivery, bytes]) -> int:
        d, raw = job
        outcome = ingest_payload(
            platform=Platform(d.platform),
            raw=raw,
            registry=registry,
            publisher=publisher,
            source="bench",
            now=NOW,
            channel=d.channel,
            received_at=d.received_at,
        )
        return len(outcome.items)

    try:
        if threads == 1:
            return _timed(lambda: sum(one(j) for j in jobs))
        with ThreadPoolExecutor(threads) as pool:
            return _timed(lambda: sum(pool.map(one, jobs)))
    finally:
        publisher.close()


def _run_bare(
    records: list[tuple[bytes, bytes]], *, kafka: KafkaSettings, threads: int
) -> tuple[int, float]:
    producer: Any = kafka_producer(kafka, 10_000, "switchboard-bench")
    topic = kafka.topic(INBOX_ITEMS)
    producer.partitions_for(topic)  # connect and fetch metadata before timing

    def one(record: tuple[bytes, bytes]) -> int:
        producer.send(topic, key=record[0], value=record[1]).get(timeout=10)
        return 1

    try:
        if threads == 1:
            return _timed(lambda: sum(one(r) for r in records))
        with ThreadPoolExecutor(threads) as pool:
            return _timed(lambda: sum(pool.map(one, records)))
    finally:
        producer.close(timeout=10)


def run(ctx: Context) -> Result:
    n = ctx.sizes.ingest_payloads
    result = Result("ingest", "Ingest: normalise + produce (items/s)")
    registry = load_registry(
        write_demo_registry(base=DEFAULT_REGISTRY_PATH, run_dir=ctx.scratch / "ingest-registry")
    )
    deliveries = payload_mix(n, first_id=0)
    jobs = [(d, _body(d)) for d in deliveries]
    platforms: dict[str, int] = {}
    for d in deliveries:
        platforms[d.platform] = platforms.get(d.platform, 0) + 1
    result.params = {
        "payloads": n,
        "mix": platforms,
        "threads": THREADS,
        "producer": "kafka-python, acks=all, idempotent, linger_ms=5 (ingest's)",
    }
    # Untimed: the exact bytes ingest produces, for the baseline to send.
    records = []
    for d, raw in jobs:
        outcome = normalise_bytes(
            platform=Platform(d.platform),
            raw=raw,
            registry=registry,
            source="bench",
            now=NOW,
            channel=d.channel,
            received_at=d.received_at,
        )
        records += [(i.channel_id.encode(), i.to_bytes()) for i in outcome.items]

    def normalise_all() -> int:
        return sum(
            len(
                normalise_bytes(
                    platform=Platform(d.platform),
                    raw=raw,
                    registry=registry,
                    source="bench",
                    now=NOW,
                    channel=d.channel,
                    received_at=d.received_at,
                ).items
            )
            for d, raw in jobs
        )

    items, took = _timed(normalise_all)
    _, parse = _timed(lambda: sum(1 for _, raw in jobs if json.loads(raw) is not None))
    result.add(
        Figure(
            "normalise only, no Kafka",
            items / took,
            "items/s",
            "json.loads of the same bodies",
            len(jobs) / parse,
        )
    )

    for threads, label in ((1, "one at a time, ack each"), (THREADS, f"{THREADS} threads")):
        prefix = new_prefix("ing")
        make_topics(ctx.bootstrap, prefix)
        kafka = KafkaSettings(bootstrap_servers=ctx.bootstrap, topic_prefix=prefix)
        try:
            got, took = _run_ingest(jobs, kafka=kafka, registry=registry, threads=threads)
            sent, base = _run_bare(records, kafka=kafka, threads=threads)
        finally:
            drop_topics(ctx.bootstrap, prefix)
        assert got == len(records) == sent, (got, len(records), sent)
        result.add(
            Figure(
                f"normalise+produce, {label}",
                got / took,
                "items/s",
                f"bare producer, same bytes, {label}",
                sent / base,
            )
        )
    result.notes.append(f"{len(records)} items from {n} payloads of {len(platforms)} platforms.")
    return result
