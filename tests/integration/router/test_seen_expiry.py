"""The seen table forgets item ids older than inbox.items.v1's retention, on the changelog."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kafka import KafkaProducer
from kafka.admin import NewTopic

from schemas.topics import INBOX_ITEMS
from services.common.kafka_admin import admin_client
from services.common.settings import KafkaSettings
from services.router.domain.seen import decode_seen
from tests.integration.router.conftest import new_app_id
from tests.integration.router.support import RouterProcess, make_item, send_item
from tests.support.clock import set_clock
from tests.support.kafka import KafkaRecorder, Recorded

MONDAY_OPEN = "2026-11-23T10:00:00+00:00"
# 31 days later (a Thursday, open): past the 30-day retention of inbox.items.v1.
AFTER_RETENTION = "2026-12-24T10:00:00+00:00"


def of_key(key: bytes, predicate: Callable[[bytes | None], bool]) -> Callable[[Recorded], bool]:
    """A changelog record of `key` whose value matches."""
    return lambda r: r.key == key and predicate(r.value)


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
    routed: KafkaRecorder,
    clock_file: Path,
) -> None:
    app_id = new_app_id()
    topic = f"{kafka_settings.topic_prefix}{app_id}-seen-changelog"
    create_changelog(kafka_settings, topic)
    changelog = KafkaRecorder(kafka_settings.bootstrap_servers, topic)
    router_process(MONDAY_OPEN, app_id=app_id)

    old = make_item("old", created_at=MONDAY_OPEN)
    send_item(producer, kafka_settings, old)
    routed.expect(lambda s: len(s) >= 1)
    old_key = str(old.event_id).encode()
    queued = of_key(old_key, lambda v: v is not None and v.startswith(b"queued "))
    written = changelog.expect_record(queued, timeout=120).partition
    values = [r.value for r in changelog.records if r.key == old_key and r.value]
    assert decode_seen(values[0]).partition == written

    set_clock(clock_file, AFTER_RETENTION)
    fresh = make_item("fresh", created_at=AFTER_RETENTION)
    send_item(producer, kafka_settings, fresh)
    changelog.expect_record(of_key(old_key, lambda v: v is None), timeout=120)
    fresh_key = str(fresh.event_id).encode()
    changelog.expect_record(of_key(fresh_key, lambda v: v is not None), timeout=120)
    assert (fresh_key, None) not in {(r.key, r.value) for r in changelog.records}

    # Forgotten for real: the same item, delivered again, is routed again (same event id).
    send_item(producer, kafka_settings, old)
    seen = routed.expect(lambda s: sum(e["item"]["event_id"] == str(old.event_id) for e in s) >= 2)
    assert len({e["event_id"] for e in seen if e["item"]["event_id"] == str(old.event_id)}) == 1
    changelog.close()
