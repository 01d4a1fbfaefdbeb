"""Admin probes the supervisor relies on, against the real broker."""

from __future__ import annotations

import uuid

from kafka import KafkaConsumer

from schemas import INBOX_ROUTED
from services.common.kafka_admin import group_has_members
from services.common.settings import KafkaSettings
from tests.support.ports import free_port


def test_group_has_members_only_while_a_member_is_joined(kafka_settings: KafkaSettings) -> None:
    bootstrap = kafka_settings.bootstrap_servers
    group = f"probe-{uuid.uuid4().hex[:8]}"
    assert not group_has_members(bootstrap, group)

    consumer = KafkaConsumer(
        kafka_settings.topic(INBOX_ROUTED),
        bootstrap_servers=bootstrap,
        group_id=group,
        enable_auto_commit=False,
    )
    try:
        for _ in range(20):  # joining takes a few polls (and the group's initial delay)
            consumer.poll(timeout_ms=500)
            if consumer.assignment():
                break
        assert consumer.assignment(), "the consumer never joined its group"
        assert group_has_members(bootstrap, group)
    finally:
        consumer.close()  # leaves the group at once, no session timeout to wait for
    assert not group_has_members(bootstrap, group)


def test_group_has_members_is_false_when_no_broker_answers() -> None:
    assert not group_has_members(f"127.0.0.1:{free_port()}", "any-group", timeout_ms=500)
