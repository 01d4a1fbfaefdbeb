"""The seen table forgets item ids older than inbox.items.v1's retention, on the changelog."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kafka import KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic

from schemas.topics import INBOX_ITEMS
from services.common.kafka_admin import admin_client
from services.common.settings import KafkaSettings
from services.router.domain.seen import decode_seen
from tests.integration.router.conftest import new_app_id
from tests.integration.router.support import (
    Collector,
    RouterProcess,
    make_item,
    send_item,
    set_clock,
)

MONDAY_OPEN = "2026-11-23T10:00:00+00:00"
# 31 days later (a Thursday, open): past the 30-day retention of inbox.items.v1.
AFTER_RETENTION = "2026-12-24T10:00:00+00:00"


class Changelog:
    """Everything on a changelog topic so far, as (key, value, partition)."""

    def __init__(self, kafka: KafkaSettings, topic: str) -> None:
        self.records: list[tuple[bytes, bytes | None, int]] = []
        self.consumer = KafkaConsumer(
            topic,
            bootstrap_servers=kafka.bootstrap_servers.split(","),
            auto_offset_reset="earliest",
            enable_auto_commit=False,
            group_id=None,
        )

    def wait_for(self, key: bytes, predicate: Callable[[bytes | None], bool]) -> int:
        """Read until a record of `key` matches; return its partition."""
        for _ in range(240):
            for batch in self.consumer.poll(timeout_ms=500).values():
                self.records.extend((r.key, r.value, r.partition) for r in batch)
            for k, v, p in self.records:
                if k == key and predicate(v):
                    return p
        raise AssertionError(f"no matching record of {key!r}; saw {len(self.records)}")


def create_changelog(kafka: KafkaSettings, topic: str) -> None:
    """The seen changelog, made before the worker starts so the reader sees every record."""
    admin = admin_client(kafka.bootstrap_servers)
    try:
        admin.create_topics(
            [
                NewTopic(
                    name=topic,
                    num_partitions=INBOX_ITEMS.partitions,
                    replication_factor=1,
                    topic_configs={"cleanup.policy": "compact"},
                )
            ]
        )
    finally:
        admin.close()


def test_expired_ids_are_tombstoned_on_the_changelog_and_routed_again(
    router_process: Callable[..., RouterProcess],
    kafka_settings: KafkaSettings,
    producer: KafkaProducer,
    routed: Collector,
    clock_file: Path,
) -> None:
    app_id = new_app_id()
    topic = f"{kafka_settings.topic_prefix}{app_id}-seen-changelog"
    create_changelog(kafka_settings, topic)
    changelog = Changelog(kafka_settings, topic)
    router_process(MONDAY_OPEN, app_id=app_id)

    old = make_item("old", created_at=MONDAY_OPEN)
    send_item(producer, kafka_settings, old)
    routed.wait_for(lambda s: len(s) >= 1)
    old_key = str(old.event_id).encode()
    written = changelog.wait_for(old_key, lambda v: v is not None and v.startswith(b"queued "))
    values = [v for k, v, _ in changelog.records if k == old_key and v]
    assert decode_seen(values[0]).partition == written

    set_clock(clock_file, AFTER_RETENTION)
    fresh = make_item("fresh", created_at=AFTER_RETENTION)
    send_item(producer, kafka_settings, fresh)
    changelog.wait_for(old_key, lambda v: v is None)
    fresh_key = str(fresh.event_id).encode()
    changelog.wait_for(fresh_key, lambda v: v is not None)
    assert (fresh_key, None) not in {(k, v) for k, v, _ in changelog.records}

    # Forgotten for real: the same item, delivered again, is routed again (same event id).
    send_item(producer, kafka_settings, old)
    seen = routed.wait_for(
        lambda s: sum(e["item"]["event_id"] == str(old.event_id) for e in s) >= 2
    )
    assert len({e["event_id"] for e in seen if e["item"]["event_id"] == str(old.event_id)}) == 1
    changelog.consumer.close()
