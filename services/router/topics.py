"""The topics the router reads and writes: raw bytes, validated by the agents."""

from __future__ import annotations

from dataclasses import dataclass

import faust

from schemas.topics import INBOX_CAMPAIGNS, INBOX_DEADLETTER, INBOX_ITEMS, INBOX_ROUTED, TopicSpec
from services.common.settings import KafkaSettings


@dataclass(frozen=True)
class RouterTopics:
    """Handles on the router's topics."""

    items: faust.TopicT
    routed: faust.TopicT
    deadletter: faust.TopicT
    campaigns: faust.TopicT


def _raw(app: faust.App, kafka: KafkaSettings, spec: TopicSpec) -> faust.TopicT:
    # Raw bytes on the wire: faust Records would add Python class paths to every message.
    return app.topic(
        kafka.topic(spec),
        key_type=bytes,
        value_type=bytes,
        key_serializer="raw",
        value_serializer="raw",
        partitions=spec.partitions,
    )


def define_topics(app: faust.App, kafka: KafkaSettings) -> RouterTopics:
    """Declare the router's topics on `app` (they are created by `switchboard topics`)."""
    return RouterTopics(
        items=_raw(app, kafka, INBOX_ITEMS),
        routed=_raw(app, kafka, INBOX_ROUTED),
        deadletter=_raw(app, kafka, INBOX_DEADLETTER),
        campaigns=_raw(app, kafka, INBOX_CAMPAIGNS),
    )
