"""The foundation's promise: an InboxItem produced to the real broker comes back identical."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from kafka import KafkaConsumer, KafkaProducer

from schemas import INBOX_ITEMS, InboxItem, validate
from services.common.settings import KafkaSettings


def test_inbox_item_round_trips_through_a_consumer_group(kafka_settings: KafkaSettings) -> None:
    topic = kafka_settings.topic(INBOX_ITEMS)
    item = InboxItem.create(
        platform="facebook",
        channel_id="facebook:nhshee",
        channel_known=True,
        addressed_account="nhshee",
        kind="comment",
        platform_item_id="10158_20551",
        text="Où est le formulaire ? 🙏",
        created_at=datetime(2026, 11, 23, 9, 30, tzinfo=UTC),
    )
    producer = KafkaProducer(
        bootstrap_servers=kafka_settings.bootstrap_servers,
        acks="all",
        enable_idempotence=True,
    )
    meta = producer.send(topic, key=item.channel_id.encode(), value=item.to_bytes()).get(timeout=30)
    producer.close()

    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=kafka_settings.bootstrap_servers,
        group_id=f"roundtrip-{uuid.uuid4().hex[:8]}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        consumer_timeout_ms=20_000,
    )
    records = []
    try:
        for record in consumer:
            if record.partition == meta.partition:
                records.append(record)
                break
    finally:
        consumer.close()

    assert records, "the produced item never came back"
    record = records[0]
    assert record.key == b"facebook:nhshee"
    assert record.offset == meta.offset
    assert validate(record.value, InboxItem) == item
