"""The router's shell (RouterHandlers) with fakes of its ports: no faust worker, no broker.

The real-broker behaviour (recovery, rebalances, SIGKILL) stays in tests/integration/router.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable
from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from schemas.events import InboxItem
from schemas.registry import ChannelRegistry
from services.router.domain.calendar import OfficeCalendar
from services.router.handlers import RouterHandlers
from services.router.tables import RouterTables
from tests.unit.router.conftest import campaign, item

SATURDAY = "2026-11-21T10:00:00+00:00"
MONDAY_OPEN = "2026-11-23T10:00:00+00:00"
ITEMS = "items"


class FakeTable(dict[bytes, bytes]):
    """A faust table's surface the shell uses: a mapping, `.data`, and changelog sends."""

    def __init__(self) -> None:
        super().__init__()
        self.tombstones: list[tuple[int, bytes]] = []

    @property
    def data(self) -> FakeTable:
        return self

    def send_changelog(self, partition: int, key: bytes, value: None, **_: Any) -> None:
        assert value is None
        self.tombstones.append((partition, key))


@dataclass
class FakeTopic:
    """Records what was sent; the returned future is acked (or failed, if told to)."""

    name: str = "topic"
    sent: list[tuple[bytes, bytes]] = field(default_factory=list)
    fail: bool = False

    async def send(self, *, key: bytes, value: bytes) -> Awaitable[Any]:
        self.sent.append((key, value))
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if self.fail:
            fut.set_exception(RuntimeError("broker said no"))
        else:
            fut.set_result(None)
        return fut

    def get_topic_name(self) -> str:
        return self.name

    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(v) for _, v in self.sent]


@dataclass
class FakeProducer:
    """The app's producer: what it is handed lands on the FakeTopic of that name."""

    topics: dict[str, FakeTopic]

    async def send(
        self, topic: str, key: bytes, value: bytes, partition: None, timestamp: None, headers: None
    ) -> Awaitable[Any]:
        assert (partition, timestamp, headers) == (None, None, None)
        return await self.topics[topic].send(key=key, value=value)


@dataclass
class FakeClock:
    at: datetime

    def now(self) -> datetime:
        return self.at


class NoSweep:
    def due(self) -> bool:
        return False


def make_handlers(
    registry: ChannelRegistry, calendars: dict[str, OfficeCalendar], *, now: str, ready: bool = True
) -> tuple[RouterHandlers, SimpleNamespace]:
    completed = asyncio.Event()
    if ready:
        completed.set()
    active = [SimpleNamespace(topic=ITEMS, partition=0)]
    topics = SimpleNamespace(
        items=FakeTopic(ITEMS), routed=FakeTopic("routed"), deadletter=FakeTopic("dl")
    )
    app = SimpleNamespace(
        tables=SimpleNamespace(recovery=SimpleNamespace(completed=completed)),
        rebalancing=False,
        assignor=SimpleNamespace(assigned_actives=lambda: active),
        producer=FakeProducer({t.name: t for t in vars(topics).values()}),
    )
    tables = RouterTables(seen=FakeTable(), held=FakeTable(), campaigns=FakeTable())
    handlers = RouterHandlers(
        app=app,  # type: ignore[arg-type]
        topics=topics,  # type: ignore[arg-type]
        tables=tables,
        registry=registry,
        calendars=calendars,
        clock=FakeClock(datetime.fromisoformat(now)),
        sweeper=NoSweep(),  # type: ignore[arg-type]
    )
    return handlers, topics


def record(value: bytes | None, *, key: bytes | None = None, offset: int = 0) -> SimpleNamespace:
    message = SimpleNamespace(topic=ITEMS, partition=0, offset=offset)
    return SimpleNamespace(value=value, key=key, message=message)


def route_one(
    registry: ChannelRegistry, calendars: dict[str, OfficeCalendar], *, at: str
) -> tuple[RouterHandlers, SimpleNamespace, InboxItem]:
    """Handlers whose clock says `at`, after routing one item of twitter:hee_kss made then."""
    handlers, topics = make_handlers(registry, calendars, now=at)
    it = item("twitter:hee_kss", created_at=at)
    asyncio.run(handlers.route(record(it.to_bytes())))
    return handlers, topics, it


def test_route_sends_one_routed_event_and_skips_the_duplicate(
    registry: ChannelRegistry, calendars: dict[str, OfficeCalendar]
) -> None:
    handlers, topics, it = route_one(registry, calendars, at=MONDAY_OPEN)
    asyncio.run(handlers.route(record(it.to_bytes(), offset=1)))

    (routed,) = topics.routed.bodies()
    assert topics.routed.sent[0][0] == b"twitter:hee_kss"
    assert routed["status"] == "queued"
    assert routed["item"]["event_id"] == str(it.event_id)
    assert str(it.event_id).encode() in handlers.tables.seen
    assert topics.deadletter.sent == []


def test_route_dead_letters_a_bad_record_and_routes_the_next(
    registry: ChannelRegistry, calendars: dict[str, OfficeCalendar]
) -> None:
    handlers, topics = make_handlers(registry, calendars, now=MONDAY_OPEN)
    good = item("twitter:hee_kss", created_at=MONDAY_OPEN)

    asyncio.run(handlers.route(record(b"{not json", offset=7)))
    asyncio.run(handlers.route(record(good.to_bytes(), offset=8)))

    ((key, value),) = topics.deadletter.sent
    letter = json.loads(value)
    assert key == b"router"
    assert letter["source"] == "router"
    assert (letter["source_topic"], letter["source_offset"]) == (ITEMS, 7)
    assert [r["item"]["event_id"] for r in topics.routed.bodies()] == [str(good.event_id)]


def test_a_held_item_is_released_at_the_opening_and_its_hold_deleted(
    registry: ChannelRegistry, calendars: dict[str, OfficeCalendar]
) -> None:
    handlers, topics, it = route_one(registry, calendars, at=SATURDAY)
    key = str(it.event_id).encode()
    assert [r["status"] for r in topics.routed.bodies()] == ["held"]
    assert key in handlers.tables.held

    assert asyncio.run(handlers.release_due()) == 0  # still Saturday
    handlers.clock = FakeClock(datetime.fromisoformat(MONDAY_OPEN))
    assert asyncio.run(handlers.release_due()) == 1

    assert [r["status"] for r in topics.routed.bodies()] == ["held", "released"]
    assert key not in handlers.tables.held
    assert handlers.tables.held.tombstones == [(0, key)]


def test_a_failed_release_stays_held_for_the_next_tick(
    registry: ChannelRegistry, calendars: dict[str, OfficeCalendar]
) -> None:
    handlers, topics, it = route_one(registry, calendars, at=SATURDAY)
    handlers.clock = FakeClock(datetime.fromisoformat(MONDAY_OPEN))
    topics.routed.fail = True

    assert asyncio.run(handlers.release_due()) == 0
    assert str(it.event_id).encode() in handlers.tables.held

    topics.routed.fail = False
    assert asyncio.run(handlers.release_due()) == 1


def test_nothing_is_released_while_tables_recover(
    registry: ChannelRegistry, calendars: dict[str, OfficeCalendar]
) -> None:
    handlers, topics = make_handlers(registry, calendars, now=MONDAY_OPEN, ready=False)
    assert asyncio.run(handlers.release_due()) == 0
    assert topics.routed.sent == []


def test_track_campaign_adds_deletes_on_tombstone_and_dead_letters_bad_ones(
    registry: ChannelRegistry, calendars: dict[str, OfficeCalendar]
) -> None:
    handlers, topics = make_handlers(registry, calendars, now=MONDAY_OPEN)
    c = campaign("NHSCareers", "2026-11-01")

    asyncio.run(handlers.track_campaign(record(c.to_bytes(), key=b"nhscareers")))
    assert handlers.tables.campaigns[b"nhscareers"] == c.to_bytes()
    assert [x.campaign_id for x in handlers.book.current()] == ["nhscareers"]

    asyncio.run(handlers.track_campaign(record(None, key=b"nhscareers")))
    assert b"nhscareers" not in handlers.tables.campaigns

    asyncio.run(handlers.track_campaign(record(b"{}", key=b"broken")))
    assert b"broken" not in handlers.tables.campaigns
    assert [k for k, _ in topics.deadletter.sent] == [b"router"]
