"""3. End to end: webhook request -> visible in the API, at a fixed offered load.

Signed webhooks (X, Facebook and Instagram payloads from the demo mix) are sent open-loop at
`rate`/s (each request starts on schedule whatever the earlier ones are doing), to a real
`switchboard up` with the router's clock in office hours. A poller follows every channel's
change feed (GET /v1/channels/{c}/items?since=, with If-None-Match, one request at a time,
a cycle over all channels at most every 50 ms) and notes when each item first shows.
Latency = first seen - request start; it includes up to one poll cycle of detection delay.
Baseline: one bare Kafka hop (kafka-python producer -> consumer) at the same rate.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime

import httpx

from bench.context import Context
from bench.ingest import payload_mix
from bench.kafka_baseline import hop_latency_ms, summary
from bench.pipeline import Pipeline
from bench.report import Figure, Result
from bench.stages import projected_at, topic_timestamps
from bench.support import percentile
from schemas import Platform
from schemas.registry import load_registry
from schemas.topics import INBOX_ITEMS, INBOX_ROUTED
from services.ingest.pipeline import normalise_bytes

OPEN = "2026-11-23T10:00:00+00:00"  # Monday, office hours
OPEN_AT = datetime.fromisoformat(OPEN)
POLL_CYCLE_S = 0.05
MAX_IN_FLIGHT = 64


@dataclass
class Request:
    platform: str
    body: bytes
    headers: dict[str, str]
    event_ids: list[str]
    channel: str
    sent: float = 0.0
    sent_wall: float = 0.0
    acked: float = 0.0
    status: int = 0


@dataclass
class Poller:
    """Follows channel feeds in a thread; `seen` maps event id -> first seen (monotonic)."""

    pipe: Pipeline
    channels: list[str]
    seen: dict[str, float] = field(default_factory=dict)
    requests: int = 0
    errors: int = 0
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        cursors: dict[str, str | None] = dict.fromkeys(self.channels)
        etags: dict[str, str | None] = dict.fromkeys(self.channels)
        auth = {"Authorization": f"Bearer {self.pipe.token}"}
        with httpx.Client(base_url=self.pipe.api, headers=auth, timeout=30) as client:
            while not self.stop.is_set():
                began = time.monotonic()
                for channel in self.channels:
                    try:
                        self._poll(client, channel, cursors, etags)
                    except httpx.HTTPError:  # counted and reported; the run goes on
                        self.errors += 1
                        time.sleep(0.2)
                rest = POLL_CYCLE_S - (time.monotonic() - began)
                if rest > 0:
                    time.sleep(rest)

    def _poll(
        self,
        client: httpx.Client,
        channel: str,
        cursors: dict[str, str | None],
        etags: dict[str, str | None],
    ) -> None:
        params = {"limit": "500"} | ({"since": c} if (c := cursors[channel]) else {})
        headers = {"If-None-Match": e} if (e := etags[channel]) else {}
        response = client.get(f"/v1/channels/{channel}/items", params=params, headers=headers)
        now = time.monotonic()
        self.requests += 1
        if response.status_code == 304:
            return
        response.raise_for_status()
        body = response.json()
        for item in body["items"]:
            self.seen.setdefault(item["id"], now)
        if body["items"]:
            cursors[channel], etags[channel] = body["cursor"], None
        else:
            etags[channel] = response.headers.get("ETag")


def build_requests(pipe: Pipeline, count: int, *, first_id: int) -> list[Request]:
    """Webhook deliveries of the demo mix, signed, with the ids and channels they will yield."""
    registry = load_registry(pipe.env["SWITCHBOARD_REGISTRY_PATH"])
    out: list[Request] = []
    batch = first_id
    while len(out) < count:
        for d in payload_mix(count * 2, first_id=batch):
            if d.via != "webhook" or len(out) >= count:
                continue
            body = json.dumps(d.payload).encode()
            items = normalise_bytes(
                platform=Platform(d.platform),
                raw=body,
                registry=registry,
                source="bench",
                now=d.received_at or OPEN_AT,
                received_at=d.received_at,
            ).items
            if len(items) != 1:
                continue
            out.append(
                Request(
                    d.platform,
                    body,
                    pipe.sign(d.platform, body),
                    [str(items[0].event_id)],
                    items[0].channel_id,
                )
            )
        batch += count * 2
    return out


async def _send_all(pipe: Pipeline, requests: list[Request], rate: float) -> float:
    """Send on schedule through at most MAX_IN_FLIGHT connections.

    Each request's clock starts at its scheduled instant, not when a connection frees up,
    so a pipeline that cannot keep up shows as latency (no coordinated omission).
    """
    limits = httpx.Limits(max_connections=MAX_IN_FLIGHT, max_keepalive_connections=MAX_IN_FLIGHT)
    gate = asyncio.Semaphore(MAX_IN_FLIGHT)
    async with httpx.AsyncClient(base_url=pipe.ingest, limits=limits, timeout=60) as client:

        async def one(r: Request) -> None:
            try:
                response = await client.post(
                    f"/webhooks/{r.platform}", content=r.body, headers=r.headers
                )
                r.acked, r.status = time.monotonic(), response.status_code
            finally:
                gate.release()

        start = time.monotonic()
        wall = time.time()
        tasks = []
        for i, r in enumerate(requests):
            r.sent, r.sent_wall = start + i / rate, wall + i / rate
            delay = r.sent - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            await gate.acquire()  # a full gate delays the send; its clock has already started
            tasks.append(asyncio.create_task(one(r)))
        await asyncio.gather(*tasks)
        return time.monotonic() - start


def _stages(result: Result, pipe: Pipeline, done: list[Request], hop_p99: float) -> None:
    """Per-hop p50/p99 from the timestamps each hop leaves (bench/stages.py)."""
    bootstrap = pipe.env["SWITCHBOARD_KAFKA_BOOTSTRAP_SERVERS"]
    items = topic_timestamps(bootstrap, pipe.prefix + INBOX_ITEMS.name, key="event_id")
    routed = topic_timestamps(bootstrap, pipe.prefix + INBOX_ROUTED.name, key="item")
    stored = projected_at(pipe.data / "switchboard.db")
    hops: dict[str, list[float]] = {"ingest": [], "router": [], "projector": [], "total": []}
    for r in done:
        e = r.event_ids[0]
        if e in items and e in routed and e in stored:
            hops["ingest"].append((items[e] - r.sent_wall) * 1000)
            hops["router"].append((routed[e] - items[e]) * 1000)
            hops["projector"].append((stored[e] - routed[e]) * 1000)
            hops["total"].append((stored[e] - r.sent_wall) * 1000)
    names = {
        "ingest": "stage webhook sent -> on inbox.items.v1",
        "router": "stage inbox.items.v1 -> on inbox.routed.v1",
        "projector": "stage inbox.routed.v1 -> projector wrote it",
        "total": "webhook sent -> projector wrote it (no polling)",
    }
    for hop, values in hops.items():
        for q in (50, 99):
            result.add(
                Figure(
                    f"{names[hop]}, p{q}",
                    percentile(values, q),
                    "ms",
                    "bare Kafka hop p99",
                    hop_p99,
                    higher_is_better=False,
                )
            )
    result.notes.append(
        f"stage breakdown over {len(hops['total'])} items (Kafka record "
        "timestamps and item.updated_at, one wall clock)"
    )


def run(ctx: Context, pipe: Pipeline) -> Result:
    rate, seconds = ctx.sizes.e2e_rate, ctx.sizes.e2e_seconds
    result = Result("e2e", "End to end: webhook request -> visible in the API")
    pipe.set_clock(OPEN)
    requests = build_requests(pipe, int(rate * seconds), first_id=1_000_000)
    channels = sorted({r.channel for r in requests})
    result.params = {
        "offered_rate_per_s": rate,
        "seconds": seconds,
        "requests": len(requests),
        "clock": OPEN,
        "channels": channels,
        "poll_cycle_ms": POLL_CYCLE_S * 1000,
        "database": "SQLite (switchboard up default)",
    }
    base = summary(hop_latency_ms(ctx.bootstrap, rate=rate, seconds=min(seconds, 10.0)))
    poller = Poller(pipe, channels)
    thread = threading.Thread(target=poller.run, daemon=True)
    thread.start()
    try:
        took = asyncio.run(_send_all(pipe, requests, rate))
        wanted = {r.event_ids[0] for r in requests if r.status == 200}
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not wanted <= poller.seen.keys():
            time.sleep(0.2)
            pipe.check_alive()
            pipe.sample_peaks()
    finally:
        poller.stop.set()
        thread.join(timeout=10)
    latencies = [
        (poller.seen[r.event_ids[0]] - r.sent) * 1000
        for r in requests
        if r.status == 200 and r.event_ids[0] in poller.seen
    ]
    acks = [(r.acked - r.sent) * 1000 for r in requests if r.status == 200]
    failed = sum(1 for r in requests if r.status != 200)
    missing = len(wanted - poller.seen.keys())
    for q in (50, 95, 99):
        p = percentile(latencies, q)
        figure = result.add(
            Figure(
                f"webhook -> visible in API, p{q}",
                p,
                "ms",
                f"bare Kafka hop p{q}",
                base[f"p{q}"],
                higher_is_better=False,
            )
        )
        if q == 99:
            figure.target, figure.met = "< 250 ms", p < 250
    result.add(
        Figure(
            "webhook -> visible in API, max",
            max(latencies, default=float("nan")),
            "ms",
            "bare Kafka hop max",
            base["max"],
            higher_is_better=False,
        )
    )
    result.add(
        Figure(
            "webhook answered (produced + acked), p99",
            percentile(acks, 99),
            "ms",
            "bare Kafka hop p99",
            base["p99"],
            higher_is_better=False,
        )
    )
    result.add(Figure("achieved request rate", len(requests) / took, "req/s", "offered", rate))
    _stages(result, pipe, [r for r in requests if r.status == 200], base["p99"])
    result.notes.append(
        f"{len(latencies)} items measured; {failed} requests not 200; "
        f"{missing} accepted items never seen; poller made {poller.requests} "
        f"requests ({poller.errors} failed); "
        f"webhook p50 {percentile(acks, 50):.1f} ms"
    )
    return result
