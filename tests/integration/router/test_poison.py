"""Poison messages on the real broker: each becomes a dead letter and routing goes on."""

from __future__ import annotations

from collections.abc import Callable

from kafka import KafkaProducer

from schemas.events import InboxItem
from services.common.settings import KafkaSettings
from tests.integration.router.support import RouterProcess, make_item, send_item
from tests.support.kafka import KafkaRecorder

MONDAY_OPEN = "2026-11-23T10:00:00+00:00"


def test_an_item_whose_routed_event_cannot_be_built_is_dead_lettered_and_the_next_routed(
    router_process: Callable[[str], RouterProcess],
    kafka_settings: KafkaSettings,
    producer: KafkaProducer,
    routed: KafkaRecorder,
    deadletters: KafkaRecorder,
) -> None:
    router_process(MONDAY_OPEN)
    good = make_item(1, channel="unknown:twitter:somebody", created_at=MONDAY_OPEN)
    # 200 characters whose repr is 10 characters each: the triage reason quotes the
    # account, so it passes RoutedItem's 2000-character limit while the item itself is valid.
    wide = "\U0010ffff" * 200
    poison = InboxItem.create(
        **{
            **good.model_dump(exclude={"event_id", "occurred_at", "schema_version"}),
            "platform_item_id": "poison-1",
            "addressed_account": wide,
        }
    )
    after = make_item(2, channel="unknown:twitter:somebody", created_at=MONDAY_OPEN)
    # One channel, so one key and one partition: `after` is behind the poison in the same log.
    for item in (poison, after):
        send_item(producer, kafka_settings, item)

    seen = routed.expect(
        lambda s: any(e["item"]["platform_item_id"] == after.platform_item_id for e in s)
    )
    letters = deadletters.expect(lambda s: len(s) >= 1)
    assert all(e["item"]["platform_item_id"] != "poison-1" for e in seen)
    (letter,) = letters
    assert letter["source"] == "router"
    assert letter["error_type"] == "ValidationError" or "reason" in letter["error"]
    assert "reason" in letter["error"]
    assert letter["source_offset"] is not None
