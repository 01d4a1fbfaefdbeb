"""The projector against the real broker: events in, rows out; replays converge; bad ones DLQ."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from schemas.enums import RoutedStatus
from schemas.events import DeadLetter, RoutedItem
from schemas.topics import INBOX_DEADLETTER, INBOX_ROUTED
from schemas.validation import validate
from services.api.db import make_engine
from services.api.migrate import upgrade
from services.api.models import Item, ItemEvent, ProjectorOffset
from services.api.projector_loop import SOURCE, Projector
from services.common.kafka_publisher import KafkaPublisher
from services.common.settings import KafkaSettings
from tests.fixtures.api.events import T0, inbox_item, routed

H = RoutedStatus.HELD
R = RoutedStatus.RELEASED


def _produce(kafka: KafkaSettings, payloads: list[tuple[str, bytes]]) -> None:
    producer = KafkaProducer(bootstrap_servers=kafka.bootstrap_servers, acks="all")
    for key, value in payloads:
        producer.send(kafka.topic(INBOX_ROUTED), key=key.encode(), value=value)
    producer.flush(timeout=30)
    producer.close()


def _project_all(engine: Engine, kafka: KafkaSettings, expected: int, group: str) -> None:
    publisher = KafkaPublisher(kafka)
    projector = Projector(
        engine=engine,
        kafka=kafka,
        publisher=publisher,
        group_id=group,
        clock=lambda: T0 + timedelta(days=1),
        batch=3,  # several batches, so commits between them are exercised
        poll_ms=500,
    )
    seen, deadline = 0, time.monotonic() + 60
    try:
        while seen < expected and time.monotonic() < deadline:
            seen += projector.poll_once()
        projector.poll_once()  # one idle poll records positions at the end
    finally:
        projector.close()
        publisher.close()
    assert seen == expected


def _snapshot(engine: Engine) -> dict[str, Any]:
    with Session(engine) as session:
        items = {
            str(i.event_id): (
                i.queue,
                i.status,
                i.routing_status,
                i.reason,
                i.hold_until,
                i.available_at,
                i.received_at,
            )
            for i in session.exec(select(Item))
        }
        history = sorted(
            (str(e.source_event_id), e.kind, e.at) for e in session.exec(select(ItemEvent))
        )
    return {"items": items, "history": history}


def _committed(kafka: KafkaSettings, group: str) -> int:
    consumer = KafkaConsumer(bootstrap_servers=kafka.bootstrap_servers, group_id=group)
    try:
        tps = [TopicPartition(kafka.topic(INBOX_ROUTED), p) for p in range(6)]
        return sum(consumer.committed(tp) or 0 for tp in tps)
    finally:
        consumer.close()


def test_projector_events_in_rows_out_replay_and_dead_letters(
    engine: Engine, kafka_settings: KafkaSettings, tmp_path_factory: Any
) -> None:
    queued = inbox_item(1)
    held = inbox_item(2, at=T0 - timedelta(hours=15))
    reordered = inbox_item(3, channel="twitter:hee_kss", at=T0 - timedelta(hours=14))
    good: list[RoutedItem] = [
        routed(queued),
        routed(queued),  # duplicate delivery
        routed(held, H, hold_until=T0 - timedelta(minutes=30)),
        routed(held, R, at=T0 - timedelta(minutes=30)),
        routed(reordered, R, at=T0 - timedelta(minutes=30)),  # released before its held
        routed(reordered, H, hold_until=T0 - timedelta(minutes=30)),
    ]
    bad = [b"not json", b'{"event_id": "x"}']
    payloads = [(e.item.channel_id, e.to_bytes()) for e in good] + [("bad", b) for b in bad]
    _produce(kafka_settings, payloads)

    group = f"proj-{uuid.uuid4().hex[:8]}"
    _project_all(engine, kafka_settings, len(payloads), group)

    state = _snapshot(engine)
    by_id: Callable[[Any], tuple[Any, ...]] = lambda i: state["items"][str(i.event_id)]  # noqa: E731
    assert by_id(queued)[:3] == ("press", "open", "queued")
    assert by_id(held)[:3] == ("press", "open", "released")
    assert by_id(reordered)[:3] == ("local:kent-surrey-sussex", "open", "released")
    assert by_id(reordered)[4] == T0 - timedelta(minutes=30)  # hold_until filled in late
    assert len(state["history"]) == 5  # the duplicate collapsed
    assert _committed(kafka_settings, group) == len(payloads)
    with Session(engine) as session:
        offsets = list(session.exec(select(ProjectorOffset)))
        assert sum(o.end_offset - o.position for o in offsets) == 0
        assert sum(o.position for o in offsets) == len(payloads)

    letters = _dead_letters(kafka_settings, len(bad))
    assert {(d.source, d.payload) for d in letters} == {(SOURCE, b.decode()) for b in bad}
    assert all(d.error for d in letters)

    # Replaying the topic from the start into an empty database gives the same state, and
    # replaying again (a second group) over the filled database changes nothing.
    other = make_engine(f"sqlite:///{tmp_path_factory.mktemp('replay') / 'r.db'}")
    upgrade(other)
    _project_all(other, kafka_settings, len(payloads), f"replay-{uuid.uuid4().hex[:8]}")
    assert _snapshot(other) == state
    _project_all(engine, kafka_settings, len(payloads), f"again-{uuid.uuid4().hex[:8]}")
    assert _snapshot(engine) == state
    with Session(engine) as session:
        assert session.exec(select(col(Item.id))).all().__len__() == 3


def _dead_letters(kafka: KafkaSettings, want: int) -> list[DeadLetter]:
    consumer = KafkaConsumer(
        kafka.topic(INBOX_DEADLETTER),
        bootstrap_servers=kafka.bootstrap_servers,
        group_id=f"dlq-{uuid.uuid4().hex[:8]}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        consumer_timeout_ms=20_000,
    )
    letters: list[DeadLetter] = []
    try:
        for record in consumer:
            letters.append(validate(record.value, DeadLetter))
            if len({d.event_id for d in letters}) >= want:
                break
    finally:
        consumer.close()
    return letters
