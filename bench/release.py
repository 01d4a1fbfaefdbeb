"""4. Release burst: N items held overnight across all queues, then the office opens.

On the running pipeline, the router's clock is moved to Monday 18:00 (closed) and N items are
produced straight to inbox.items.v1 (bypassing ingest, which benchmark 1 covers), spread
over every registry channel plus an unknown one (the triage queue). Once the API shows all
N held, the clock moves to Tuesday 09:00:00 and we time (a) the last `released` event on
inbox.routed.v1 and (b) the API showing every one of them open, held count 0. Then every
queue's work list is read back to check arrival order per channel.
Baseline: one bare Kafka hop of N records of ~1 KiB, flat out.
"""

from __future__ import annotations

import itertools
import threading
import time
import uuid
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from kafka import KafkaProducer

from bench.context import Context
from bench.kafka_baseline import hop_seconds
from bench.pipeline import Pipeline
from bench.report import Figure, Result
from schemas.events import InboxItem
from schemas.registry import load_registry
from schemas.topics import INBOX_ITEMS, INBOX_ROUTED
from tests.support.kafka import KafkaRecorder
from tests.support.waiting import wait_until

CLOSED = "2026-11-23T18:00:00+00:00"  # Monday evening
OPENING = "2026-11-24T09:00:00+00:00"  # Tuesday 09:00 GMT


def burst_items(registry_path: str, n: int) -> list[InboxItem]:
    channels = [c.id for c in load_registry(registry_path)] + ["unknown:twitter:bench_stranger"]
    at = datetime.fromisoformat(CLOSED)
    out = []
    for i in range(n):
        channel = channels[i % len(channels)]
        known = not channel.startswith("unknown:")
        out.append(
            InboxItem.create(
                platform=channel.split(":")[-2],
                channel_id=channel,
                channel_known=known,
                addressed_account=channel.split(":")[-1],
                kind="comment",
                platform_item_id=f"burst-{i}-{uuid.uuid4().hex[:6]}",
                text=f"burst {i:06d}",
                created_at=at + timedelta(milliseconds=i),
            )
        )
    return out


def totals(pipe: Pipeline) -> dict[str, int]:
    pipe.check_alive()
    queues = pipe.get("/v1/queues")["queues"]
    return {"open": sum(q["open"] for q in queues), "held": sum(q["held"] for q in queues)}


class ReleaseCounter:
    """Counts `released` events on inbox.routed.v1 from now on."""

    def __init__(self, bootstrap: str, topic: str, target: int) -> None:
        self.target, self.count, self.done_at = target, 0, 0.0
        # "latest" is pinned before the clock moves.
        self.recorder = KafkaRecorder(bootstrap, topic, from_start=False)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.is_set() and self.count < self.target:
            records = self.recorder.record(timeout_ms=100)
            self.count += sum(1 for r in records if r.json()["status"] == "released")
            if self.count >= self.target and not self.done_at:
                self.done_at = time.monotonic()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=5)
        self.recorder.close()


def check_order(pipe: Pipeline) -> tuple[int, int, int]:
    """(burst items listed, per-channel order violations, cross-channel inversions per queue)."""
    listed, violations, inversions = 0, 0, 0
    for queue in [q["queue"] for q in pipe.get("/v1/queues")["queues"]]:
        seqs: list[tuple[str, int]] = []
        cursor: str | None = None
        while True:
            params: dict[str, Any] = {"status": "open", "limit": 200}
            if cursor:
                params["cursor"] = cursor
            page = pipe.get(f"/v1/queues/{queue}/items", **params)
            seqs += [
                (i["channel_id"], int(i["text"].split()[1]))
                for i in page["items"]
                if i["text"].startswith("burst ")
            ]
            cursor = page["next_cursor"]
            if not cursor:
                break
        listed += len(seqs)
        last: dict[str, int] = defaultdict(lambda: -1)
        for channel, seq in seqs:
            violations += seq < last[channel]
            last[channel] = seq
        inversions += sum(1 for a, b in itertools.pairwise(seqs) if b[1] < a[1])
    return listed, violations, inversions


def run(ctx: Context, pipe: Pipeline) -> Result:
    n = ctx.sizes.release_items
    result = Result("release", "Release burst: held items released at opening")
    result.params = {
        "items": n,
        "closed_clock": CLOSED,
        "opening": OPENING,
        "channels": "every registry channel + one unknown (triage)",
        "database": "SQLite (switchboard up default)",
    }
    base = hop_seconds(ctx.bootstrap, n=n)
    pipe.set_clock(CLOSED)
    time.sleep(1.5)  # past the router's next tick, so nothing open-hour is still in flight
    before = totals(pipe)
    topic = pipe.prefix + INBOX_ITEMS.name
    producer = KafkaProducer(bootstrap_servers=ctx.bootstrap, linger_ms=5)
    started = time.monotonic()
    for item in burst_items(pipe.env["SWITCHBOARD_REGISTRY_PATH"], n):
        producer.send(topic, key=item.channel_id.encode(), value=item.to_bytes())
    producer.flush()
    producer.close()
    wait_until(
        lambda: totals(pipe)["held"] >= before["held"] + n,
        timeout_s=900,
        what=f"{n} items held in the API",
        every=0.5,
    )
    held_took = time.monotonic() - started
    counter = ReleaseCounter(ctx.bootstrap, pipe.prefix + INBOX_ROUTED.name, n)
    try:
        pipe.set_clock(OPENING)
        opened = time.monotonic()
        wait_until(
            lambda: (t := totals(pipe))["held"] == 0 and t["open"] >= before["open"] + n,
            timeout_s=900,
            what="every held item open in the API",
            every=0.1,
        )
        visible = time.monotonic() - opened
        counter.thread.join(timeout=60)
        on_topic = (counter.done_at - opened) if counter.done_at else float("nan")
    finally:
        counter.close()
    pipe.sample_peaks()
    listed, violations, inversions = check_order(pipe)
    result.add(
        Figure(
            f"opening -> all {n} visible as open in the API",
            visible,
            "s",
            f"bare Kafka hop of {n} records",
            base,
            target="< 5 s",
            met=visible < 5,
            higher_is_better=False,
        )
    )
    result.add(
        Figure(
            f"opening -> last of {n} released events on the topic",
            on_topic,
            "s",
            f"bare Kafka hop of {n} records",
            base,
            higher_is_better=False,
        )
    )
    result.add(
        Figure(
            f"produce -> all {n} held in the API",
            held_took,
            "s",
            f"bare Kafka hop of {n} records",
            base,
            higher_is_better=False,
        )
    )
    result.add(
        Figure(
            "per-channel arrival-order violations",
            violations,
            "items",
            target="0",
            met=violations == 0 and listed == n,
        )
    )
    result.notes.append(
        f"{listed} of {n} burst items listed in work lists; {inversions} "
        "inversions across channels within queues (not guaranteed: partitions "
        "release independently)"
    )
    return result
