"""6. Rebuild: `switchboard api rebuild` of a fresh database from the topics, vs a bare consumer.

N events are produced to a fresh topic prefix: items routed (queued, and held then released
for every tenth) on inbox.routed.v1 and, for every other item, a claim and a resolution on
inbox.work.v1 (the events the API's outbox sends). Then we time (a) a bare kafka-python
consumer reading every record of those topics and doing nothing else (the baseline), and
(b) `rebuild` folding them into a fresh SQLite database (and PostgreSQL when a URL is given).
Target: rebuild >= 5,000 events/s.
"""

from __future__ import annotations

import time
import uuid
from datetime import datetime, timedelta

from kafka import KafkaConsumer, KafkaProducer, TopicPartition

from bench.api_load import database, postgres_base_url
from bench.context import Context
from bench.report import Figure, Result
from bench.support import drop_topics, make_topics, new_prefix
from schemas.enums import RoutedStatus
from schemas.events import InboxItem, RoutedItem
from schemas.topics import INBOX_ROUTED, INBOX_WORK
from schemas.work import ActorKind, Claimed, Resolved, WorkDetail, WorkEvent
from services.api.db import make_engine
from services.api.migrate import upgrade
from services.api.projector_loop import PROJECTED
from services.api.rebuild import rebuild
from services.common.settings import KafkaSettings

T0 = datetime.fromisoformat("2026-11-23T09:30:00+00:00")
TARGET = 5_000.0


def _events(n: int) -> list[RoutedItem | WorkEvent]:
    out: list[RoutedItem | WorkEvent] = []
    i = 0
    while len(out) < n:
        at = T0 + timedelta(seconds=i)
        item = InboxItem.create(
            platform="twitter", channel_id="twitter:nhs_healthedeng", channel_known=True,
            addressed_account="nhs_healthedeng", kind="mention",
            platform_item_id=f"rb-{i}-{uuid.uuid4().hex[:6]}", text=f"rebuild {i}",
            created_at=at,
        )  # fmt: skip
        statuses = [RoutedStatus.HELD, RoutedStatus.RELEASED] if i % 10 == 0 else [
            RoutedStatus.QUEUED]  # fmt: skip
        for s in statuses:
            out.append(
                RoutedItem(
                    event_id=RoutedItem.event_id_for(item.event_id, s), occurred_at=at,
                    item=item, queue="press", status=s, rule="bench", reason="bench",
                    hold_until=at + timedelta(hours=1) if s is not RoutedStatus.QUEUED else None,
                )
            )  # fmt: skip
        if i % 2 == 0:
            details: tuple[WorkDetail, ...] = (Claimed(), Resolved())
            for k, detail in enumerate(details):
                out.append(
                    WorkEvent.create(
                        item_event_id=item.event_id, channel_id=item.channel_id, queue="press",
                        actor_kind=ActorKind.TOKEN, actor="press", command_id=uuid.uuid4(),
                        detail=detail, occurred_at=at + timedelta(minutes=5 + k),
                    )
                )  # fmt: skip
        i += 1
    return out[:n]


def _produce(kafka: KafkaSettings, events: list[RoutedItem | WorkEvent]) -> None:
    producer = KafkaProducer(bootstrap_servers=kafka.bootstrap_servers, acks="all", linger_ms=20)
    for e in events:
        if isinstance(e, RoutedItem):
            producer.send(
                kafka.topic(INBOX_ROUTED), key=e.item.channel_id.encode(), value=e.to_bytes()
            )
        else:
            producer.send(
                kafka.topic(INBOX_WORK), key=str(e.item_event_id).encode(), value=e.to_bytes()
            )
    producer.flush(timeout=120)
    producer.close()


def bare_read_seconds(kafka: KafkaSettings, n: int) -> float:
    """A consumer that reads every record of the projected topics and does nothing else."""
    consumer = KafkaConsumer(bootstrap_servers=kafka.bootstrap_servers, group_id=None,
                             enable_auto_commit=False)  # fmt: skip
    try:
        tps = [
            TopicPartition(t, p)
            for t in (kafka.topic(s) for s in PROJECTED)
            for p in sorted(consumer.partitions_for_topic(t) or ())
        ]
        consumer.assign(tps)
        consumer.seek_to_beginning(*tps)
        started, seen = time.perf_counter(), 0
        deadline = time.monotonic() + 300
        while seen < n and time.monotonic() < deadline:
            seen += sum(len(r) for r in consumer.poll(timeout_ms=200, max_records=2000).values())
        return time.perf_counter() - started
    finally:
        consumer.close()


def run(ctx: Context) -> Result:
    n = ctx.sizes.rebuild_events
    result = Result(name="rebuild", title="Rebuild the API database from the log",
                    params={"events": n})  # fmt: skip
    prefix = new_prefix("rb")
    make_topics(ctx.bootstrap, prefix)
    kafka = KafkaSettings(bootstrap_servers=ctx.bootstrap, topic_prefix=prefix)
    try:
        _produce(kafka, _events(n))
        bare = n / bare_read_seconds(kafka, n)
        pg = postgres_base_url(ctx)
        for kind in ["sqlite"] + (["postgres"] if pg else []):
            with database(kind, ctx, pg) as url:
                engine = make_engine(url)
                try:
                    upgrade(engine)
                    done = rebuild(engine=engine, kafka=kafka, clock=lambda: T0)
                finally:
                    engine.dispose()
            rate = done.events / done.seconds if done.seconds else 0.0
            result.add(Figure(
                name=f"rebuild rate ({kind})", value=rate, unit="events/s",
                baseline_name="bare consumer, same topics", baseline=bare,
                target=f">= {TARGET:,.0f} events/s", met=rate >= TARGET,
            ))  # fmt: skip
            result.add(Figure(
                name=f"rebuild time per 100,000 events ({kind})",
                value=100_000 / rate if rate else float("nan"), unit="s",
                higher_is_better=False,
            ))  # fmt: skip
            result.notes.append(f"{kind}: {done.as_dict()}")
        if not pg:
            result.notes.append("PostgreSQL skipped: no --postgres-url / *_POSTGRES_URL")
    finally:
        drop_topics(ctx.bootstrap, prefix)
    return result
