"""2. Router: items/s through real `switchboard router worker` processes on the local broker.

    python -m bench --only router            (part of the suite)
    python -m bench.router_throughput [N] [open|closed]   (one worker, one mode, quick look)

Each run gets fresh prefixed topics; the worker(s) are started and ready (/ready: tables
rebuilt, no rebalance) before the first item is produced, and the clock is measured from
the first send to the last routed event read back. Baseline on the same topic layout: a
bare aiokafka consume-decode-produce loop (bench/bare_loop.py) in its own process.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kafka import KafkaProducer

from bench.context import Context
from bench.report import Figure, Result
from bench.support import (
    Service,
    drop_topics,
    make_topics,
    new_prefix,
    vm_hwm_kib,
)
from schemas.events import InboxItem
from schemas.registry import load_registry
from schemas.topics import INBOX_ITEMS, INBOX_ROUTED
from services.common.settings import KafkaSettings
from tests.support.clock import set_clock
from tests.support.kafka import KafkaRecorder
from tests.support.ports import free_port
from tests.support.processes import PYTHON

INSTANTS = {"open": "2026-11-23T10:00:00+00:00", "closed": "2026-11-21T10:00:00+00:00"}


def make_items(n: int, *, instant: str) -> list[tuple[bytes, bytes]]:
    """n items spread over every registry channel, as (key, value) bytes."""
    channels = [c.id for c in load_registry()]
    at = datetime.fromisoformat(instant)
    out = []
    for i in range(n):
        channel = channels[i % len(channels)]
        item = InboxItem.create(
            platform=channel.split(":")[0],
            channel_id=channel,
            channel_known=True,
            addressed_account=channel.split(":")[1],
            kind="comment",
            platform_item_id=f"bench-{i}-{uuid.uuid4().hex[:6]}",
            text=f"item {i}",
            created_at=at,
        )
        out.append((channel.encode(), item.to_bytes()))
    return out


class Counter:
    """Reads a topic from the beginning in a thread; notes when it has seen `target` records."""

    def __init__(self, kafka: KafkaSettings, topic: str, target: int) -> None:
        self.target, self.count, self.done_at = target, 0, 0.0
        self.first_ms, self.last_ms = 0, 0  # record timestamps: when the output was produced
        self.recorder = KafkaRecorder(kafka.bootstrap_servers, topic)
        self.recorder.record()  # join the topic before anything is produced
        self.finished = threading.Event()
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self._stop.is_set() and not self.finished.is_set():
            records = self.recorder.record(timeout_ms=200)
            if records:
                self.count += len(records)
                stamps = [r.timestamp for r in records]
                self.first_ms = min(self.first_ms or stamps[0], *stamps)
                self.last_ms = max(self.last_ms, *stamps)
            if self.count >= self.target:
                self.done_at = time.monotonic()
                self.finished.set()

    def close(self) -> None:
        self._stop.set()
        self.thread.join(timeout=5)
        self.recorder.close()


@dataclass
class Run:
    """One measured pass."""

    items: int
    seconds: float
    produce_seconds: float
    peaks: dict[str, int]

    @property
    def rate(self) -> float:
        return self.items / self.seconds


def _drive(
    kafka: KafkaSettings,
    items: list[tuple[bytes, bytes]],
    *,
    timeout_s: float,
    then: Callable[[], None] | None = None,
) -> tuple[float, float]:
    """Produce the items, run `then` (start the consumer of a prefilled topic), wait for
    every output; return (first to last output record timestamp, produce time) in seconds.

    The span between output timestamps is the consumer's own rate as long as its input
    keeps up: true for the router (slower than this producer); the bare loop is faster than
    this producer, so its topic is filled before it starts (`then`).
    """
    counter = Counter(kafka, kafka.topic(INBOX_ROUTED), len(items))
    producer = KafkaProducer(bootstrap_servers=kafka.bootstrap_servers.split(","), linger_ms=5)
    try:
        producer.partitions_for(kafka.topic(INBOX_ITEMS))
        start = time.monotonic()
        for key, value in items:
            producer.send(kafka.topic(INBOX_ITEMS), key=key, value=value)
        producer.flush()
        produced = time.monotonic() - start
        if then is not None:
            then()
        if not counter.finished.wait(timeout_s):
            raise TimeoutError(f"only {counter.count} of {len(items)} routed in {timeout_s:.0f}s")
        return max(counter.last_ms - counter.first_ms, 1) / 1000, produced
    finally:
        producer.close()
        counter.close()


def _env(
    kafka: KafkaSettings, *, clock: Path, port: int, data: Path, app_id: str
) -> dict[str, str]:
    return {
        **os.environ,
        "SWITCHBOARD_KAFKA_BOOTSTRAP_SERVERS": kafka.bootstrap_servers,
        "SWITCHBOARD_KAFKA_TOPIC_PREFIX": kafka.topic_prefix,
        "SWITCHBOARD_ROUTER_APP_ID": app_id,
        "SWITCHBOARD_ROUTER_WEB_PORT": str(port),
        "SWITCHBOARD_ROUTER_CLOCK_FILE": str(clock),
        "SWITCHBOARD_ROUTER_DATA_DIR": str(data),
        "SWITCHBOARD_LOG_LEVEL": "WARNING",
    }


def run_workers(bootstrap: str, scratch: Path, *, n: int, workers: int, mode: str) -> Run:
    """n items through `workers` router processes (one consumer group)."""
    prefix = new_prefix("rt")
    make_topics(bootstrap, prefix)
    kafka = KafkaSettings(bootstrap_servers=bootstrap, topic_prefix=prefix)
    clock = scratch / f"{prefix}clock"
    set_clock(clock, INSTANTS[mode])
    app_id = f"bench-router-{uuid.uuid4().hex[:8]}"
    procs: list[tuple[Service, int]] = []
    try:
        for w in range(workers):
            port = free_port()
            env = _env(kafka, clock=clock, port=port, data=scratch / f"{prefix}w{w}", app_id=app_id)
            svc = Service(
                f"router-{w}",
                [PYTHON, "-m", "services", "router", "worker"],
                env,
                scratch / f"{prefix}router{w}.log",
            )
            svc.start()
            procs.append((svc, port))
        # Twice: a later worker joining makes the earlier ones rebalance (and not be ready).
        for _ in range(2):
            for svc, port in procs:
                svc.wait_http(f"http://127.0.0.1:{port}/ready", timeout_s=180, every=0.2)
        seconds, produced = _drive(kafka, make_items(n, instant=INSTANTS[mode]), timeout_s=900)
        peaks = {s.name: s.sample_peak() or 0 for s, _ in procs}
        return Run(n, seconds, produced, peaks)
    finally:
        for svc, _ in procs:
            svc.stop()
        drop_topics(bootstrap, prefix)


def run_bare(bootstrap: str, *, n: int) -> Run:
    prefix = new_prefix("bl")
    make_topics(bootstrap, prefix)
    kafka = KafkaSettings(bootstrap_servers=bootstrap, topic_prefix=prefix)
    argv = [
        PYTHON,
        "-m",
        "bench.bare_loop",
        "--bootstrap",
        bootstrap,
        "--source",
        kafka.topic(INBOX_ITEMS),
        "--sink",
        kafka.topic(INBOX_ROUTED),
        "--group",
        f"{prefix}bare",
    ]
    procs: list[subprocess.Popen[str]] = []

    def start() -> None:
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, start_new_session=True)
        procs.append(proc)
        assert proc.stdout is not None
        if proc.stdout.readline().strip() != "ready":
            raise RuntimeError("bare loop did not start")

    items = make_items(n, instant=INSTANTS["open"])
    try:
        seconds, produced = _drive(kafka, items, timeout_s=300, then=start)
        return Run(n, seconds, produced, {"bare loop": vm_hwm_kib(procs[0].pid) or 0})
    finally:
        for proc in procs:
            _end(proc)
        drop_topics(bootstrap, prefix)


def _end(proc: subprocess.Popen[str]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def run(ctx: Context) -> Result:
    n = ctx.sizes.router_items
    result = Result("router", "Router: items/s through router workers vs a bare loop")
    result.params = {
        "items": n,
        "partitions": 6,
        "clock": INSTANTS["open"],
        "measured": "items / (last - first output record timestamp); "
        "the bare loop's topic is filled before it starts",
    }
    bare = run_bare(ctx.bootstrap, n=n)
    one = run_workers(ctx.bootstrap, ctx.scratch, n=n, workers=1, mode="open")
    result.add(
        Figure(
            "1 worker, office open",
            one.rate,
            "items/s",
            "bare aiokafka consume-decode-produce loop",
            bare.rate,
            target=">= 0.50x bare loop",
            met=one.rate >= 0.5 * bare.rate,
        )
    )
    runs = [bare, one]
    if ctx.smoke:  # worker start-up dominates a smoke run; these add nothing new to check
        result.notes.append("smoke: the 2-worker and office-closed runs are skipped")
    else:
        two = run_workers(ctx.bootstrap, ctx.scratch, n=n, workers=2, mode="open")
        result.add(Figure("2 workers, office open", two.rate, "items/s", "1 worker", one.rate))
        closed = run_workers(ctx.bootstrap, ctx.scratch, n=n, workers=1, mode="closed")
        held = "1 worker, office closed (held)"
        result.add(Figure(held, closed.rate, "items/s", "1 worker, office open", one.rate))
        runs += [two, closed]
    result.notes.append(
        "produce time (s): "
        + ", ".join(f"{r.produce_seconds:.2f}" for r in runs)
        + " (bare, 1 worker[, 2 workers, closed])"
    )
    for run_ in runs:
        for name, kib in run_.peaks.items():
            ctx.record_peak(name if name == "bare loop" else f"router worker ({name})", kib)
            result.peaks_kib[name] = max(result.peaks_kib.get(name, 0), kib)
    return result


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    mode = sys.argv[2] if len(sys.argv) > 2 else "open"
    bootstrap = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092")
    with tempfile.TemporaryDirectory() as tmp:
        one = run_workers(bootstrap, Path(tmp), n=n, workers=1, mode=mode)
    sys.stdout.write(f"{n} items ({mode}): {one.rate:.0f} items/s (one worker, local broker)\n")


if __name__ == "__main__":
    main()
