"""Create faust's internal topics before the worker starts.

faust creates its changelog and leader topics itself, but on a fresh broker its consumer can
subscribe before the new topics reach its metadata; it then logs "Ignoring missing topic"
and never gets an assignment. Creating them first, and waiting until the broker lists them,
makes the first start as dependable as every later one.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import faust
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError

from services.common.kafka_admin import admin_client
from services.common.settings import KafkaSettings

logger = logging.getLogger(__name__)


def internal_topics(app: faust.App) -> dict[str, int]:
    """Name -> partitions of every changelog topic and the leader-election topic."""
    tables: list[Any] = list(app.tables.values())
    topics = {t.changelog_topic.get_topic_name(): int(t.partitions) for t in tables}
    topics[f"{app.conf.id}-__assignor-__leader"] = 1
    return topics


def ensure_internal_topics(
    app: faust.App, kafka: KafkaSettings, *, timeout_s: float = 30.0
) -> list[str]:
    """Create the missing internal topics (compacted) and wait until they are listed."""
    wanted = internal_topics(app)
    client = admin_client(kafka.bootstrap_servers, timeout_ms=kafka.request_timeout_ms)
    try:
        missing = [n for n in wanted if n not in set(client.list_topics())]
        for name in missing:
            topic = NewTopic(
                name=name,
                num_partitions=wanted[name],
                replication_factor=kafka.replication_factor,
                topic_configs={"cleanup.policy": "compact"},
            )
            try:
                client.create_topics([topic], timeout_ms=kafka.request_timeout_ms)
                logger.info("created internal topic %s", name)
            except TopicAlreadyExistsError:
                pass
        deadline = time.monotonic() + timeout_s
        while not set(wanted) <= set(client.list_topics()):
            if time.monotonic() > deadline:
                raise TimeoutError(f"internal topics not visible after {timeout_s}s: {wanted}")
            time.sleep(0.2)
        return missing
    finally:
        client.close()
