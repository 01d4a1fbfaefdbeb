"""Topics of our own: every test module or benchmark run gets a random topic prefix."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from services.common.kafka_admin import admin_client, create_topics
from services.common.settings import KafkaSettings


def drop_topics(bootstrap: str, prefix: str) -> None:
    """Delete every topic with our prefix (ours only: prefixes are random per run)."""
    client = admin_client(bootstrap)
    try:
        ours = [t for t in client.list_topics() if t.startswith(prefix)]
        if ours:
            client.delete_topics(ours)
    finally:
        client.close()


@contextmanager
def own_topics(bootstrap: str, prefix: str) -> Iterator[KafkaSettings]:
    """Every Switchboard topic under `prefix` while the block runs; deleted after."""
    create_topics(bootstrap, prefix=prefix)
    try:
        yield KafkaSettings(bootstrap_servers=bootstrap, topic_prefix=prefix)
    finally:
        drop_topics(bootstrap, prefix)
