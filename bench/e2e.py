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
import http.client
import json
import multiprocessing as mp
import queue
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

from bench.context import Context
from bench.ingest import payload_mix
from bench.kafka_baseline import hop_latency_ms, summary
from bench.pipeline import Pipeline
from bench.rawhttp import Connection, RawHttpError
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
    error: str = ""
    retried: bool = False


@dataclass
class PollResult:
    """What the poller saw: event id -> first seen (time.monotonic, shared by processes)."""

    seen: dict[str, float] = field(default_factory=dict)
    requests: int = 0
    errors: int = 0


class Poller:
    """Follows every channel's change feed in its own process.

    Its own process, not a thread: in the sender's process it competed with the open-loop
    sender for one interpreter lock, and the benchmark then measured its own load generator
    (the sender process used 80% of a core while the webhook receiver idled). time.monotonic
    is the system-wide CLOCK_MONOTONIC on Linux, so its instants compare with the sender's.
    """

    def __init__(self, pipe: Pipeline, channels: list[str]) -> None:
        ctx = mp.get_context("spawn")
        self._control: Any = ctx.Queue()
        self._results: Any = ctx.Queue()
        self._proc = ctx.Process(
            target=_poll_process,
            args=(pipe.api, pipe.token, channels, self._control, self._results),
            daemon=True,
        )

    def start(self) -> None:
        self._proc.start()

    def finish(self, wanted: set[str], *, deadline_s: float, pipe: Pipeline) -> PollResult:
        """Ask the poller to stop once it has seen `wanted` (or at the deadline); its result."""
        self._control.put((sorted(wanted), time.monotonic() + deadline_s))
        while True:
            try:
                seen, requests, errors = self._results.get(timeout=0.5)
                break
            except queue.Empty:
                pipe.check_alive()
                pipe.sample_peaks()
                if not self._proc.is_alive() and self._results.empty():
                    raise RuntimeError("the poller process died without a result") from None
        self._proc.join(timeout=10)
        return PollResult(seen=seen, requests=requests, errors=errors)


def _poll_process(api: str, token: str, channels: list[str], control: Any, results: Any) -> None:
    out = PollResult()
    cursors: dict[str, str | None] = dict.fromkeys(channels)
    etags: dict[str, str | None] = dict.fromkeys(channels)
    wanted: set[str] | None = None
    deadline = float("inf")
    # http.client, not httpx: much less CPU per request, and the pipeline shares these cores.
    parts = urlsplit(api)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
    auth = {"Authorization": f"Bearer {token}"}
    while wanted is None or (time.monotonic() < deadline and not wanted <= out.seen.keys()):
        began = time.monotonic()
        for channel in channels:
            try:
                _poll(conn, auth, channel, cursors, etags, out)
            except (OSError, http.client.HTTPException, ValueError):  # counted; the run goes on
                out.errors += 1
                conn.close()
                time.sleep(0.2)
        if wanted is None and not control.empty():
            ids, deadline = control.get()
            wanted = set(ids)
        rest = POLL_CYCLE_S - (time.monotonic() - began)
        if rest > 0:
            time.sleep(rest)
    conn.close()
    results.put((out.seen, out.requests, out.errors))


def _poll(
    conn: http.client.HTTPConnection,
    auth: dict[str, str],
    channel: str,
    cursors: dict[str, str | None],
    etags: dict[str, str | None],
    out: PollResult,
) -> None:
    query = {"limit": "500"} | ({"since": c} if (c := cursors[channel]) else {})
    headers = auth | ({"If-None-Match": e} if (e := etags[channel]) else {})
    conn.request("GET", f"/v1/channels/{channel}/items?{urlencode(query)}", headers=headers)
    response = conn.getresponse()
    payload = response.read()
    now = time.monotonic()
    out.requests += 1
    if response.status == 304:
        return
    if response.status != 200:
        raise ValueError(f"channel feed answered {response.status}")
    body = json.loads(payload)
    for item in body["items"]:
        out.seen.setdefault(item["id"], now)
    if body["items"]:
        cursors[channel], etags[channel] = body["cursor"], None
    else:
        etags[channel] = response.getheader("ETag")


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
    idle = [Connection(pipe.ingest) for _ in range(MAX_IN_FLIGHT)]
    gate = asyncio.Semaphore(MAX_IN_FLIGHT)

    async def one(r: Request) -> None:
        conn = idle.pop()
        try:
            try:
                r.status = await conn.post(f"/webhooks/{r.platform}", r.body, r.headers)
            except asyncio.IncompleteReadError as err:
                if err.partial:
                    raise
                # The server closed an idle keep-alive connection as we reused it (uvicorn's
                # keep-alive timeout): retry once on a fresh one, as HTTP clients and the
                # platforms do; deliveries are idempotent.
                r.retried = True
                r.status = await conn.post(f"/webhooks/{r.platform}", r.body, r.headers)
        except (OSError, RawHttpError, asyncio.IncompleteReadError) as err:
            r.error = type(err).__name__  # counted as not 200, and named in the notes
        finally:
            r.acked = time.monotonic()
            idle.append(conn)
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
    for conn in idle:
        conn.close()
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
    poller.start()
    took = asyncio.run(_send_all(pipe, requests, rate))
    wanted = {r.event_ids[0] for r in requests if r.status == 200}
    polled = poller.finish(wanted, deadline_s=120, pipe=pipe)
    latencies = [
        (polled.seen[r.event_ids[0]] - r.sent) * 1000
        for r in requests
        if r.status == 200 and r.event_ids[0] in polled.seen
    ]
    acks = [(r.acked - r.sent) * 1000 for r in requests if r.status == 200]
    failed = sum(1 for r in requests if r.status != 200)
    missing = len(wanted - polled.seen.keys())
    errors = Counter(r.error for r in requests if r.error)
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
        f"{missing} accepted items never seen; transport errors {dict(errors)}; "
        f"{sum(r.retried for r in requests)} sent again on a fresh connection; "
        f"poller made {polled.requests} requests ({polled.errors} failed); "
        f"webhook p50 {percentile(acks, 50):.1f} ms"
    )
    return result
