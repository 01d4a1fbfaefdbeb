"""Latency of GET /v1/queues/{queue}/items with N items in the database (not a test).

    python -m bench.api_work_list --url sqlite:////tmp/bench.db --items 100000

Fills a fresh database through the projector's own code path, then times pages of the work
list (first page and cursor pages, several statuses) in-process, one request at a time, and
prints p50/p99. The suite's API benchmark (bench/api_load.py, `python -m bench --only api`)
reuses `fill` and measures over real HTTP with 50 concurrent clients.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import UTC, datetime, timedelta

import typer
from sqlmodel import Session

from schemas.enums import RoutedStatus
from schemas.events import InboxItem, RoutedItem
from schemas.registry import load_registry
from services.api.app import create_app
from services.api.auth import Role
from services.api.context import ApiContext
from services.api.db import make_engine
from services.api.migrate import upgrade
from services.api.routed_apply import apply_routed
from services.api.settings import ApiSettings
from services.api.tokens import create_token
from services.common.kafka_publisher import KafkaPublisher
from services.common.settings import KafkaSettings

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
QUEUES = [("twitter:nhs_healthedeng", "press"), ("youtube:healtheducationengland", "digital")]


def _event(n: int) -> RoutedItem:
    channel, queue = QUEUES[n % 2]
    at = T0 + timedelta(seconds=n)
    item = InboxItem.create(
        platform=channel.split(":")[0],
        channel_id=channel,
        channel_known=True,
        addressed_account=channel.split(":")[1],
        kind="comment",
        platform_item_id=f"bench-{n}",
        text=f"comment {n}",
        created_at=at,
    )
    status = RoutedStatus.HELD if n % 10 == 0 else RoutedStatus.QUEUED
    return RoutedItem(
        event_id=RoutedItem.event_id_for(item.event_id, status),
        occurred_at=at,
        item=item,
        queue=queue,
        status=status,
        rule="bench",
        reason="bench",
        hold_until=at + timedelta(hours=16) if status is RoutedStatus.HELD else None,
    )


def fill(url: str, items: int, *, batch: int = 2000, quiet: bool = False) -> float:
    """Project `items` routed events into a fresh database at `url`, one transaction per
    `batch`; return the seconds it took."""
    engine = make_engine(url)
    upgrade(engine)
    started = time.perf_counter()
    for start in range(0, items, batch):
        with Session(engine) as session, session.begin():
            for n in range(start, min(items, start + batch)):
                apply_routed(session, event=_event(n), now=T0)
    took = time.perf_counter() - started
    engine.dispose()
    if not quiet:
        typer.echo(f"filled {items} items in {took:.1f}s")
    return took


def measure(url: str, rounds: int) -> None:
    """Time the work list: first pages and deep cursor pages."""
    from fastapi.testclient import TestClient  # only here: importing it warns (httpx2)

    engine = make_engine(url)
    registry = load_registry()
    with Session(engine) as session:
        token = create_token(
            session,
            name=f"bench-{time.time_ns()}",
            role=Role.TEAM,
            queues=["press"],
            registry=registry,
            now=T0,
        )
    ctx = ApiContext(
        settings=ApiSettings(),
        engine=engine,
        publisher=KafkaPublisher(KafkaSettings()),
        registry=registry,
    )
    client = TestClient(create_app(ctx))
    headers = {"Authorization": f"Bearer {token}"}
    cursor, timings = None, []
    for i in range(rounds):
        params: dict[str, str | int] = {"limit": 50, "status": "open" if i % 4 else "held"}
        if cursor and i % 4:
            params["cursor"] = cursor
        t = time.perf_counter()
        response = client.get("/v1/queues/press/items", params=params, headers=headers)
        timings.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, response.text
        cursor = response.json()["next_cursor"] if i % 4 else cursor
    timings.sort()
    p50 = statistics.median(timings)
    p99 = timings[int(len(timings) * 0.99) - 1]
    typer.echo(f"{url.split(':')[0]}: {rounds} requests, p50 {p50:.1f} ms, p99 {p99:.1f} ms")


def main() -> None:
    """CLI entry."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=400)
    parser.add_argument("--skip-fill", action="store_true")
    args = parser.parse_args()
    if not args.skip_fill:
        fill(args.url, args.items)
    measure(args.url, args.rounds)


if __name__ == "__main__":
    main()
