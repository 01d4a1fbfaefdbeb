"""Fixtures of the API tests: a fresh database per test (SQLite and PostgreSQL), real Kafka
where the behaviour crosses it (the outbox relay), a fake publisher port everywhere."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import quote

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlmodel import Session

from schemas.events import RoutedItem
from schemas.registry import ChannelRegistry
from services.api.app import create_app
from services.api.auth import Role
from services.api.context import ApiContext
from services.api.db import make_engine
from services.api.migrate import upgrade
from services.api.relay import Relay
from services.api.routed_apply import apply_routed
from services.api.settings import ApiSettings
from services.api.tokens import create_token
from services.common.settings import KafkaSettings
from services.guidance.bootstrap import build_checker
from services.guidance.domain.rules import Rules
from services.guidance.loader import compile_rules, load_guidance
from tests.fakes.publisher import RecordingPublisher
from tests.fixtures.api.checkers import BothCheckers, MarkChecker
from tests.fixtures.api.events import T0
from tests.support.topics import own_topics


def _pg_schema_url(base: str) -> Iterator[str]:
    schema = f"t_{uuid.uuid4().hex[:12]}"
    conninfo = make_url(base).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}options={quote(f'-csearch_path={schema}')}"
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A URL of an empty database: a tmp SQLite file, or a fresh schema on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'api.db'}"
        return
    yield from _pg_schema_url(request.getfixturevalue("postgres_url"))


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """A migrated engine on the fresh database."""
    eng = make_engine(db_url)
    upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture(scope="module")
def api_kafka(kafka_bootstrap: str) -> Iterator[KafkaSettings]:
    """Topics of our own for one test module (cheaper than a prefix per test)."""
    prefix = f"tapi{uuid.uuid4().hex[:8]}."
    with own_topics(kafka_bootstrap, prefix) as settings:
        yield settings


@dataclass
class Clock:
    """A settable clock: tests decide what time it is."""

    now: datetime = T0 + timedelta(hours=1)

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Api:
    """The app under test, its database and a token per kind of caller."""

    client: TestClient
    engine: Engine
    clock: Clock
    kafka: KafkaSettings
    tokens: dict[str, str] = field(default_factory=dict)

    def auth(self, who: str) -> dict[str, str]:
        """Authorization header of one of the test callers."""
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def route(self, *events: RoutedItem) -> None:
        """Project routed events straight into the database."""
        with Session(self.engine) as session, session.begin():
            for event in events:
                apply_routed(session, event=event, now=self.clock.now)


CALLERS = {
    "admin": {"role": Role.ADMIN},
    "kss-approver": {
        "role": Role.LEAD,
        "channels": ["twitter:hee_kss"],
        "approver_queues": ["local:kent-surrey-sussex"],
    },
    "press": {"role": Role.TEAM, "queues": ["press"]},
    "press2": {"role": Role.TEAM, "queues": ["press"]},
    "digital": {"role": Role.TEAM, "queues": ["digital"]},
    "kss": {"role": Role.LEAD, "channels": ["twitter:hee_kss"]},
}


@pytest.fixture(scope="session")
def guidance_rules() -> Rules:
    """The shipped guidance lists, compiled once for the session."""
    return compile_rules(load_guidance())


@pytest.fixture
def crosses_broker() -> bool:
    """Whether the module's tests read what the relay sends (override with False if not)."""
    return True


# Where nothing crosses the broker, an address nothing listens on: a stray use fails loudly.
NO_BROKER = KafkaSettings(bootstrap_servers="127.0.0.1:9", topic_prefix="nobroker.")


@pytest.fixture
def api(
    request: pytest.FixtureRequest,
    engine: Engine,
    registry: ChannelRegistry,
    guidance_rules: Rules,
    crosses_broker: bool,
) -> Iterator[Api]:
    """The app over a fresh database with one token per caller in CALLERS.

    Routes never publish directly (the outbox does), so the publisher port is a fake. The
    outbox relay runs on the real broker only where the module's tests cross it.
    """
    clock = Clock()
    publisher = RecordingPublisher()
    kafka: KafkaSettings = request.getfixturevalue("api_kafka") if crosses_broker else NO_BROKER
    ctx = ApiContext(
        settings=ApiSettings(),
        engine=engine,
        publisher=publisher,
        registry=registry,
        clock=clock,
        # The shipped guidance, plus marks ([block], [warn]...) that ask for any verdict.
        checker=BothCheckers(
            build_checker(registry=registry, rules=guidance_rules, clock=clock), MarkChecker()
        ),
    )
    tokens = {}
    with Session(engine) as session:
        for name, scope in CALLERS.items():
            tokens[name] = create_token(
                session,
                name=name,
                registry=registry,
                now=clock.now,
                **scope,  # type: ignore[arg-type]
            )
    # The outbox relay runs beside the app, as `switchboard up` runs it beside the API.
    relay = Relay(engine=engine, kafka=kafka, clock=clock, idle_s=0.05) if crosses_broker else None
    stop = threading.Event()
    worker = None
    if relay is not None:
        worker = threading.Thread(target=relay.run, kwargs={"stop": stop}, daemon=True)
        worker.start()
    try:
        with TestClient(create_app(ctx)) as client:
            yield Api(client=client, engine=engine, clock=clock, kafka=kafka, tokens=tokens)
    finally:
        stop.set()
        if worker is not None and relay is not None:
            worker.join(timeout=30)
            relay.close()
    assert publisher.sent == [], "routes publish only through the outbox"
