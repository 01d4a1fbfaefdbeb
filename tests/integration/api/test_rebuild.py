"""Rebuild: real traffic and actions through projector, API and relay on the real broker, then
`rebuild` into a second database; both must hold the same items, work state, history and audit.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from kafka import KafkaProducer
from sqlalchemy import Engine
from sqlmodel import Session, func, select

from schemas.enums import RoutedStatus
from schemas.events import RoutedItem
from schemas.registry import ChannelRegistry
from schemas.topics import INBOX_ROUTED, INBOX_WORK
from schemas.work import (
    ActorKind,
    FailureClass,
    ReplyFailed,
    ReplyPublished,
    SlaTarget,
    SlaWarning,
    WorkDetail,
    WorkEvent,
)
from services.api.app import create_app
from services.api.auth import Role
from services.api.context import ApiContext
from services.api.db import make_engine
from services.api.migrate import upgrade
from services.api.models import AuditEvent, Item, ProjectorOffset
from services.api.outbox import backlog
from services.api.projector_loop import Projector
from services.api.rebuild import NotEmptyError, rebuild
from services.api.relay import Relay
from services.api.settings import ApiSettings
from services.api.tokens import create_token, revoke_token
from services.common.kafka_publisher import KafkaPublisher
from services.common.settings import KafkaSettings
from tests.fixtures.api.checkers import MarkChecker
from tests.fixtures.api.events import T0, inbox_item, routed
from tests.fixtures.api.snapshot import snapshot
from tests.integration.api.conftest import Clock, _pg_schema_url

KSS = "twitter:hee_kss"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def two_urls(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    """Two empty databases of one kind: the live one and the rebuild's."""
    if request.param == "sqlite":
        d = tmp_path_factory.mktemp("rebuild")
        yield f"sqlite:///{d / 'live.db'}", f"sqlite:///{d / 'rebuilt.db'}"
        return
    base = request.getfixturevalue("postgres_url")
    first, second = _pg_schema_url(base), _pg_schema_url(base)
    yield next(first), next(second)
    for gen in (first, second):
        next(gen, None)


@dataclass
class Live:
    engine: Engine
    client: TestClient
    kafka: KafkaSettings
    tokens: dict[str, str]

    def h(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def post(self, who: str, path: str, body: object = None) -> dict:  # type: ignore[type-arg]
        r = self.client.post(path, json=body, headers=self.h(who))
        assert r.is_success, (path, r.status_code, r.text)
        return r.json()  # type: ignore[no-any-return]


def _produce(kafka: KafkaSettings, events: list[RoutedItem | WorkEvent]) -> None:
    producer = KafkaProducer(bootstrap_servers=kafka.bootstrap_servers, acks="all")
    for e in events:
        if isinstance(e, RoutedItem):
            producer.send(
                kafka.topic(INBOX_ROUTED), key=e.item.channel_id.encode(), value=e.to_bytes()
            )
        else:
            producer.send(
                kafka.topic(INBOX_WORK), key=str(e.item_event_id).encode(), value=e.to_bytes()
            )
    producer.flush(timeout=30)
    producer.close()


def _service_event(item: uuid.UUID, n: int, detail: WorkDetail, actor: str) -> WorkEvent:
    return WorkEvent.create(
        item_event_id=item, channel_id=KSS, queue="local:kent-surrey-sussex",
        actor_kind=ActorKind.SERVICE, actor=actor, command_id=uuid.uuid5(item, f"svc{n}"),
        detail=detail, occurred_at=T0 + timedelta(hours=2, seconds=n),
    )  # fmt: skip


def _wait(probe: object, what: str, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if probe():  # type: ignore[operator]
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _caught_up(engine: Engine) -> bool:
    with Session(engine) as s:
        rows = list(s.exec(select(ProjectorOffset)))
        return bool(rows) and all(r.position >= r.end_offset for r in rows) and backlog(s) == 0


@pytest.fixture
def live(
    two_urls: tuple[str, str], kafka_settings: KafkaSettings, registry: ChannelRegistry
) -> Iterator[Live]:
    engine = make_engine(two_urls[0])
    upgrade(engine)
    clock = Clock(now=T0 + timedelta(hours=1))
    publisher = KafkaPublisher(kafka_settings, timeout_s=15)
    ctx = ApiContext(
        settings=ApiSettings(), engine=engine, publisher=publisher, registry=registry,
        clock=clock, checker=MarkChecker(),
    )  # fmt: skip
    tokens = {}
    with Session(engine) as session:
        for name, scope in {
            "admin": {"role": Role.ADMIN},
            "kss": {"role": Role.LEAD, "channels": [KSS]},
            "kss-approver": {"role": Role.LEAD, "channels": [KSS],
                             "approver_queues": ["local:kent-surrey-sussex"]},
        }.items():  # fmt: skip
            tokens[name] = create_token(
                session,
                name=name,
                registry=registry,
                now=clock.now,
                **scope,  # type: ignore[arg-type]
            )
    stop = threading.Event()
    relay = Relay(engine=engine, kafka=kafka_settings, clock=clock, idle_s=0.05)
    projector = Projector(
        engine=engine, kafka=kafka_settings, publisher=publisher,
        group_id=f"t-{uuid.uuid4().hex[:8]}", clock=clock, batch=7, poll_ms=200,
    )  # fmt: skip
    threads = [
        threading.Thread(target=relay.run, kwargs={"stop": stop}, daemon=True),
        threading.Thread(target=projector.run, kwargs={"stop": stop}, daemon=True),
    ]
    for t in threads:
        t.start()
    try:
        with TestClient(create_app(ctx)) as client:
            yield Live(engine=engine, client=client, kafka=kafka_settings, tokens=tokens)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=30)
        relay.close()
        projector.close()
        publisher.close()
        engine.dispose()


def test_rebuild_equals_the_live_database(live: Live, two_urls: tuple[str, str]) -> None:
    items = [inbox_item(n, channel=KSS, at=T0 + timedelta(minutes=n)) for n in range(6)]
    held = inbox_item(9, channel=KSS)
    _produce(
        live.kafka,
        [
            *(routed(i) for i in items),
            routed(held, RoutedStatus.HELD),
            routed(held, RoutedStatus.RELEASED, at=T0 + timedelta(minutes=30)),
            routed(items[0]),  # a redelivery
        ],
    )

    def all_projected() -> bool:
        with Session(live.engine) as s:
            return int(s.exec(select(func.count()).select_from(Item)).one()) == 7

    _wait(all_projected, "the routed items")
    a, b, c, d = (str(i.event_id) for i in items[:4])
    live.post("kss", f"/v1/items/{a}/claim")
    live.post("admin", f"/v1/items/{a}/unclaim")
    live.post("kss", f"/v1/items/{a}/claim")
    live.post("kss", f"/v1/items/{a}/notes", {"note": "rang them"})
    live.post("kss", f"/v1/items/{a}/tags", {"add": ["jobs", "kent"]})
    live.post("kss", f"/v1/items/{a}/tags", {"remove": ["kent"]})
    live.post("kss", f"/v1/items/{a}/assign", {"assignee": "alice@example.org"})
    sent = live.post("kss", f"/v1/items/{a}/reply", {"text": "See the FAQ"})
    live.post("kss", f"/v1/items/{a}/resolve", {"note": "done"})
    live.post("kss", f"/v1/items/{a}/reopen", {"reason": "they wrote back"})
    live.post("kss", f"/v1/items/{b}/reassign", {"queue": "press", "reason": "press query"})
    live.post("kss", f"/v1/items/{c}/escalate", {"note": "complaint"})
    held_reply = live.post("kss", f"/v1/items/{c}/reply", {"text": "[approval] take 2 tablets"})
    live.post("kss-approver", f"/v1/items/{c}/replies/{held_reply['reply_id']}/approve")
    refused = live.post("kss", f"/v1/items/{d}/reply", {"text": "[approval] maybe"})
    live.post("kss-approver", f"/v1/items/{d}/replies/{refused['reply_id']}/reject",
              {"reason": "clinical advice"})  # fmt: skip
    failed = live.post(
        "kss", f"/v1/items/{d}/reply", {"text": "[warn] FAQ", "acknowledge": ["acronym"]}
    )
    live.post("kss", f"/v1/items/{d}/moderate", {"operation": "hide", "reason": "abuse"})
    live.post("admin", "/v1/campaigns", {
        "campaign_id": "careers", "name": "Careers", "hashtag": "NHSCareers",
        "owner_queue": "press", "start_date": "2026-11-23"})  # fmt: skip
    with Session(live.engine) as session:
        revoke_token(session, name="kss-approver", now=T0 + timedelta(hours=3))
    # The publisher and the SLA timer write their events straight to inbox.work.v1.
    ia, id_ = items[0].event_id, items[3].event_id
    _produce(live.kafka, [
        _service_event(ia, 1, ReplyPublished(reply_id=uuid.UUID(sent["reply_id"]),
                       platform_reply_id="tw-1", attempts=1), "publisher"),
        _service_event(id_, 2, ReplyFailed(reply_id=uuid.UUID(failed["reply_id"]),
                       failure=FailureClass.UNAVAILABLE, error="503", retryable=True,
                       attempts=3), "publisher"),
        _service_event(id_, 3, SlaWarning(target=SlaTarget.FIRST_RESPONSE,
                       due_at=T0 + timedelta(hours=4)), "sla"),
    ])  # fmt: skip

    def reply_failed() -> bool:
        with Session(live.engine) as s:
            return (
                s.exec(select(AuditEvent).where(AuditEvent.action == "sla_warning")).first()
                is not None
            )

    _wait(reply_failed, "the service events")
    live.post("kss", f"/v1/items/{id_}/replies/{failed['reply_id']}/retry")
    _wait(lambda: _caught_up(live.engine), "the relay and projector to catch up")
    time.sleep(1.0)  # one more projector round after the last relay send
    _wait(lambda: _caught_up(live.engine), "the relay and projector to catch up")

    before = snapshot(live.engine)
    detail = live.client.get(f"/v1/items/{a}", headers=live.h("admin")).json()
    assert detail["tags"] == ["jobs"] and detail["replies"][0]["status"] == "sent"
    assert before["tokens"] and before["campaigns"] and len(before["audit"]) >= 25

    target = make_engine(two_urls[1])
    try:
        upgrade(target)
        result = rebuild(engine=target, kafka=live.kafka, clock=lambda: T0 + timedelta(days=9))
        assert result.items == 7 and result.dead_letters == 0
        after = snapshot(target)
        for part in before:
            assert after[part] == before[part], part
        with pytest.raises(NotEmptyError):
            rebuild(engine=target, kafka=live.kafka, clock=lambda: T0)
    finally:
        target.dispose()
