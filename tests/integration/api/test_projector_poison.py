"""The projector on the real broker: a poison record is dead-lettered, the next one projected.

Uses the Projector exactly as `api project` does (nothing in it is replaced).
"""

from __future__ import annotations

import uuid

from sqlalchemy import Engine
from sqlmodel import Session, select

from schemas.events import DeadLetter
from schemas.topics import INBOX_DEADLETTER
from services.api.models import Item
from services.common.settings import KafkaSettings
from tests.fixtures.api.events import inbox_item, routed
from tests.integration.api.test_projector_kafka import _dead_letters, _produce, _project_all
from tests.integration.ingest.conftest import read_topic


def test_a_deeply_nested_record_is_dead_lettered_and_the_next_one_projected(
    engine: Engine, kafka_settings: KafkaSettings
) -> None:
    after = inbox_item(7)
    key = after.channel_id  # one key: the good record is behind the poison in one partition
    poison = b'{"item": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    _produce(kafka_settings, [(key, poison), (key, routed(after).to_bytes())])

    _project_all(engine, kafka_settings, 2, f"poison-{uuid.uuid4().hex[:8]}")

    with Session(engine) as session:
        assert [str(i.event_id) for i in session.exec(select(Item))] == [str(after.event_id)]
    (letter,) = _dead_letters(kafka_settings, 1)
    assert isinstance(letter, DeadLetter) and "nested too deeply" in letter.error
    assert letter.source_topic == kafka_settings.topic(INBOX_DEADLETTER).replace(
        "deadletter", "routed"
    )
    assert read_topic(kafka_settings, INBOX_DEADLETTER, expect=1)
