"""Routing throughput of one router worker on the local broker (a benchmark, not a test).

    .venv/bin/python -m tests.integration.router.bench_throughput [N] [open|closed]

Starts a real worker on fresh prefixed topics, produces N items across the registry's
channels, and reports items/s from the first send to the last routed event read back.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

from kafka import KafkaProducer

from schemas.registry import load_registry
from schemas.topics import INBOX_ITEMS, INBOX_ROUTED
from services.common.kafka_admin import admin_client, create_topics
from services.common.settings import KafkaSettings
from tests.integration.router.support import (
    Collector,
    RouterProcess,
    free_port,
    make_item,
    set_clock,
)

INSTANTS = {"open": "2026-11-23T10:00:00+00:00", "closed": "2026-11-21T10:00:00+00:00"}


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    mode = sys.argv[2] if len(sys.argv) > 2 else "open"
    bootstrap = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092")
    prefix = f"bench{uuid.uuid4().hex[:8]}."
    kafka = KafkaSettings(bootstrap_servers=bootstrap, topic_prefix=prefix)
    create_topics(bootstrap, prefix=prefix)
    channels = [c.id for c in load_registry()]
    with tempfile.TemporaryDirectory() as tmp:
        clock = Path(tmp) / "clock"
        set_clock(clock, INSTANTS[mode])
        port = free_port()
        env = {**os.environ, "SWITCHBOARD_KAFKA_BOOTSTRAP_SERVERS": bootstrap,
               "SWITCHBOARD_KAFKA_TOPIC_PREFIX": prefix, "SWITCHBOARD_ROUTER_APP_ID": "bench",
               "SWITCHBOARD_ROUTER_WEB_PORT": str(port),
               "SWITCHBOARD_ROUTER_CLOCK_FILE": str(clock),
               "SWITCHBOARD_ROUTER_DATA_DIR": str(Path(tmp) / "data"),
               "SWITCHBOARD_LOG_LEVEL": "WARNING"}  # fmt: skip
        worker = RouterProcess(env=env, log=Path(tmp) / "router.log", port=port)
        worker.start()
        payloads = [
            (channels[i % len(channels)], make_item(i, channel=channels[i % len(channels)],
             created_at=INSTANTS[mode]).to_bytes())
            for i in range(n)
        ]  # fmt: skip
        routed = Collector(kafka, INBOX_ROUTED)
        producer = KafkaProducer(bootstrap_servers=bootstrap, linger_ms=5)
        try:
            start = time.monotonic()
            for key, value in payloads:
                producer.send(kafka.topic(INBOX_ITEMS), key=key.encode(), value=value)
            producer.flush()
            sent = time.monotonic() - start
            routed.wait_for(lambda s: len(s) >= n, timeout=600)
            elapsed = time.monotonic() - start
        finally:
            producer.close()
            routed.close()
            worker.kill()
            client = admin_client(bootstrap)
            client.delete_topics([t for t in client.list_topics() if t.startswith(prefix)])
            client.close()
    sys.stdout.write(
        f"{n} items ({mode}): produced in {sent:.2f}s, all routed in {elapsed:.2f}s "
        f"= {n / elapsed:.0f} items/s (one worker, local broker)\n"
    )


if __name__ == "__main__":
    main()
