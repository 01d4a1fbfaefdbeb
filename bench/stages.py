"""Where end-to-end time goes: timestamps each hop leaves behind, read after the run.

- ingest:    webhook request sent (bench wall clock) -> inbox.items.v1 record timestamp
             (the ingest producer's CreateTime);
- router:    inbox.items.v1 timestamp -> inbox.routed.v1 timestamp (the router's producer);
- projector: inbox.routed.v1 timestamp -> item.updated_at in the API database (the projector's
             wall clock when it polled the batch; the commit follows within the transaction).
All three clocks are this machine's wall clock.
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from kafka import KafkaConsumer, TopicPartition


def topic_timestamps(bootstrap: str, topic: str, *, key: str) -> dict[str, float]:
    """event id (top-level `key`, or item.event_id for 'item') -> first record timestamp (s)."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False)
    try:
        parts = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        consumer.assign(parts)
        consumer.seek_to_beginning(*parts)
        ends = consumer.end_offsets(parts)
        out: dict[str, float] = {}
        deadline = time.monotonic() + 120
        while any(consumer.position(tp) < ends[tp] for tp in parts):
            if time.monotonic() > deadline:
                raise TimeoutError(f"could not read {topic} to its end in 120 s")
            for records in consumer.poll(timeout_ms=500, max_records=5000).values():
                for r in records:
                    value = json.loads(r.value)
                    event_id = value["item"]["event_id"] if key == "item" else value[key]
                    out.setdefault(event_id, r.timestamp / 1000)
        return out
    finally:
        consumer.close()


def projected_at(sqlite_file: Path) -> dict[str, float]:
    """event id -> when the projector first wrote the item (item.updated_at, naive UTC)."""
    with sqlite3.connect(f"file:{sqlite_file}?mode=ro", uri=True) as conn:
        rows = conn.execute("SELECT event_id, updated_at FROM item").fetchall()
    out = {}
    for event_id, updated in rows:
        at = datetime.fromisoformat(str(updated)).replace(tzinfo=UTC)
        out[str(uuid.UUID(str(event_id)))] = at.timestamp()
    return out
