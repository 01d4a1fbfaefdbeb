"""The router benchmark's baseline: a bare aiokafka consume-decode-produce loop.

    python -m bench.bare_loop --bootstrap 127.0.0.1:19092 --source T --sink T --group G

Consumes the source topic in a consumer group, validates every record as an InboxItem (the
decode step the router does at its edge), produces it to the sink keyed by channel (without
awaiting each ack, as faust does), and commits offsets automatically. No decision, no tables.
Prints "ready" once it has its partitions; stops on SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from schemas.events import InboxItem
from schemas.validation import validate


async def loop(*, bootstrap: str, source: str, sink: str, group: str) -> None:
    consumer = AIOKafkaConsumer(
        source,
        bootstrap_servers=bootstrap,
        group_id=group,
        auto_offset_reset="earliest",
        enable_auto_commit=True,
        auto_commit_interval_ms=1000,
    )
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await consumer.start()
    await producer.start()
    try:
        ready = False
        while not stop.is_set():
            batches = await consumer.getmany(timeout_ms=200, max_records=500)
            if not ready and consumer.assignment():
                ready = True
                sys.stdout.write("ready\n")
                sys.stdout.flush()
            for records in batches.values():
                for record in records:
                    item = validate(record.value, InboxItem)
                    await producer.send(sink, key=item.channel_id.encode(), value=record.value)
    finally:
        await producer.stop()
        await consumer.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    for name in ("--bootstrap", "--source", "--sink", "--group"):
        parser.add_argument(name, required=True)
    args = parser.parse_args()
    asyncio.run(
        loop(bootstrap=args.bootstrap, source=args.source, sink=args.sink, group=args.group)
    )


if __name__ == "__main__":
    main()
