"""Writers never trip over each other: relay, projector, API commands and `tokens create`
(as a subprocess, as `make run` calls it) all at once, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import uuid
from datetime import datetime, timedelta

from kafka import KafkaProducer
from sqlmodel import Session, func, select

from schemas.registry import ChannelRegistry
from schemas.topics import INBOX_ROUTED
from services.api import actions
from services.api.auth import Principal, Role
from services.api.db import make_engine
from services.api.migrate import upgrade
from services.api.models import ApiToken, AuditEvent, Item
from services.api.outbox import backlog
from services.api.projector_loop import Projector
from services.api.relay import Relay
from services.api.routed_apply import apply_routed
from services.api.tokens import create_token
from services.common.kafka_publisher import KafkaPublisher
from services.common.settings import KafkaSettings
from tests.fixtures.api.events import T0, inbox_item, routed


def clock() -> datetime:
    return T0 + timedelta(hours=1)


PRESS = Principal("press", Role.TEAM, frozenset({"press"}), frozenset({"press"}), frozenset())


def test_relay_projector_commands_and_tokens_together(  # noqa: C901  (one scenario, its workers inline)
    db_url: str, kafka_settings: KafkaSettings, registry: ChannelRegistry
) -> None:
    engine = make_engine(db_url)
    upgrade(engine)
    worked = [inbox_item(n) for n in range(40)]
    with Session(engine) as session, session.begin():
        for item in worked:
            apply_routed(session, event=routed(item), now=clock())
    stop = threading.Event()
    errors: list[BaseException] = []
    publisher = KafkaPublisher(kafka_settings)
    relay = Relay(engine=engine, kafka=kafka_settings, clock=clock, idle_s=0.01, batch=5)
    projector = Projector(
        engine=engine, kafka=kafka_settings, publisher=publisher,
        group_id=f"t-{uuid.uuid4().hex[:8]}", clock=clock, batch=20, poll_ms=100,
    )  # fmt: skip

    def guarded(target: object, **kwargs: object) -> threading.Thread:
        def body() -> None:
            try:
                target(**kwargs)  # type: ignore[operator]
            except BaseException as err:
                errors.append(err)

        thread = threading.Thread(target=body, daemon=True)
        thread.start()
        return thread

    def commands(start: int) -> None:
        for item in worked[start::4]:
            with Session(engine) as session:
                actions.claim(session, event_id=item.event_id, principal=PRESS, now=clock())
            with Session(engine) as session:
                actions.add_note(
                    session, event_id=item.event_id, principal=PRESS, now=clock(), note="n"
                )
            with Session(engine) as session:
                actions.resolve(
                    session, event_id=item.event_id, principal=PRESS, now=clock(), note=None
                )

    def tokens(prefix: str) -> None:
        for n in range(10):
            with Session(engine) as session:
                create_token(session, name=f"{prefix}{n}", role=Role.ADMIN, registry=registry,
                             now=clock())  # fmt: skip

    def traffic() -> None:
        producer = KafkaProducer(bootstrap_servers=kafka_settings.bootstrap_servers, acks="all")
        for n in range(100, 300):
            event = routed(inbox_item(n))
            producer.send(kafka_settings.topic(INBOX_ROUTED), key=b"k", value=event.to_bytes())
        producer.flush(timeout=30)
        producer.close()

    loops = [
        guarded(relay.run, stop=stop),
        guarded(projector.run, stop=stop),
    ]
    workers = [
        guarded(traffic),
        *(guarded(commands, start=s) for s in range(4)),
        guarded(tokens, prefix="tok-a-"),
        guarded(tokens, prefix="tok-b-"),
    ]
    env = {**os.environ, "SWITCHBOARD_DATABASE_URL": db_url}
    cli = [
        subprocess.run(
            [sys.executable, "-m", "services", "tokens", "create", "--name", f"cli-{n}",
             "--role", "admin"],
            env=env, capture_output=True, text=True, timeout=120, check=False,
        )
        for n in range(3)
    ]  # fmt: skip
    for thread in workers:
        thread.join(timeout=180)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        with Session(engine) as session:
            items = int(session.exec(select(func.count()).select_from(Item)).one())
            if items == 240 and backlog(session) == 0:
                break
        time.sleep(0.2)
    stop.set()
    for thread in loops:
        thread.join(timeout=30)
    relay.close()
    projector.close()
    publisher.close()

    assert errors == []
    for proc in cli:
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.strip().startswith("sbt_") and "alembic" not in proc.stderr.lower()
    with Session(engine) as session:
        assert int(session.exec(select(func.count()).select_from(Item)).one()) == 240
        assert backlog(session) == 0
        names = set(session.exec(select(ApiToken.name)))
        assert {f"tok-a-{n}" for n in range(10)} <= names and {"cli-0", "cli-1", "cli-2"} <= names
        resolved = session.exec(
            select(func.count()).select_from(Item).where(Item.status == "resolved")
        ).one()
        assert resolved == 40
        # 40 items x (claimed, note_added, resolved) + 23 tokens: each event exactly once.
        assert int(session.exec(select(func.count()).select_from(AuditEvent)).one()) == 143
    engine.dispose()
