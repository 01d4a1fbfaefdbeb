"""7. Publisher: replies/s against the sandbox, and the latency it adds from Reply to sent.

The publisher (`switchboard publisher run`) and the sandbox (`switchboard sandbox serve`) run
as their own processes, as `switchboard up` runs them. Replies are spread over the registry's
accounts (one lane each). Throughput: a burst of replies produced at once, to the last
reply_published. Latency: replies produced one at a time at a steady pace; for each, the
Kafka timestamp of its reply_published minus that of its Reply.

Baseline (same run, same sandbox): bare HTTP POSTs of the same X request with an httpx
AsyncClient, as many at once as there are accounts (throughput), and one at a time
(latency). The difference in latency is what the publisher adds: Kafka in and out, the
SQLite attempt record, the classification.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
import uuid
from pathlib import Path

import httpx
from kafka import KafkaProducer

from bench.context import Context
from bench.report import Figure, Result
from bench.support import (
    Service,
    drop_topics,
    make_topics,
    new_prefix,
    percentile,
)
from schemas import INBOX_WORK, OUTBOX_REPLIES, Platform
from schemas.events import Reply
from schemas.registry import DEFAULT_REGISTRY_PATH, load_registry
from schemas.work import ReplyPublished, WorkEvent
from services.common.clock import utc_now
from services.common.kafka_admin import group_has_members
from services.supervisor.demo_run import write_demo_registry
from services.supervisor.publisher_local import local_publisher_env
from tests.support.kafka import KafkaRecorder
from tests.support.ports import free_port
from tests.support.processes import PYTHON
from tests.support.waiting import wait_until

_IN_REPLY_TO = {
    Platform.TWITTER: "1860000000000000042",
    Platform.FACEBOOK: "104000000000001_555",
    Platform.INSTAGRAM: "17890000000000042",
    Platform.YOUTUBE: "UgzBench",
    Platform.LINKEDIN: "urn:li:comment:(urn:li:activity:71,72)",
    Platform.FLICKR: "31001-52000000042-72157000000000042",
}


def _reply(channel: str, platform: Platform, n: int) -> Reply:
    rid = uuid.uuid4()
    return Reply(
        event_id=Reply.event_id_for(rid), occurred_at=utc_now(), reply_id=rid,
        item_event_id=uuid.uuid4(), platform=platform, channel_id=channel,
        in_reply_to=_IN_REPLY_TO[platform], text=f"Thank you - reply {n} ({rid.hex[:8]}).",
        author="bench",
    )  # fmt: skip


class _Outcomes:
    """Reads reply_published events; keeps their Kafka timestamps by reply id."""

    def __init__(self, bootstrap: str, topic: str) -> None:
        self.recorder = KafkaRecorder(bootstrap, topic)
        self.at: dict[str, int] = {}
        self.failed = 0

    def poll(self) -> None:
        for record in self.recorder.record(timeout_ms=200, max_records=2000):
            if record.value is not None:
                event = WorkEvent.model_validate_json(record.value)
                if isinstance(event.detail, ReplyPublished):
                    self.at[str(event.detail.reply_id)] = record.timestamp
                elif event.action == "reply_failed":
                    self.failed += 1

    def wait(self, ids: set[str], *, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while not ids <= self.at.keys():
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(ids - self.at.keys())} replies not published "
                                   f"({self.failed} failed)")  # fmt: skip
            self.poll()


def _bare(url: str, token: str, n: int, concurrency: int) -> tuple[float, list[float]]:
    """Bare POSTs of X's reply request: (requests/s at `concurrency`, sequential latencies ms)."""

    async def main() -> tuple[float, list[float]]:
        headers = {"Authorization": f"Bearer {token}"}
        async with httpx.AsyncClient(base_url=url, headers=headers, timeout=30) as client:

            async def post(i: int) -> float:
                body = {"text": f"bare {i} {uuid.uuid4().hex}",
                        "reply": {"in_reply_to_tweet_id": "1860000000000000042"}}  # fmt: skip
                t0 = time.perf_counter()
                r = await client.post("/x/2/tweets", json=body)
                assert r.status_code == 201, r.text
                return (time.perf_counter() - t0) * 1000

            gate = asyncio.Semaphore(concurrency)

            async def limited(i: int) -> float:
                async with gate:
                    return await post(i)

            await post(-1)  # connect first
            t0 = time.perf_counter()
            await asyncio.gather(*(limited(i) for i in range(n)))
            rate = n / (time.perf_counter() - t0)
            latencies = [await post(n + i) for i in range(max(20, n // 10))]
            return rate, latencies

    return asyncio.run(main())


def run(ctx: Context) -> Result:
    burst, paced, pace_hz = ctx.sizes.publisher_burst, ctx.sizes.publisher_paced, 20.0
    result = Result("publisher", "Publisher: replies/s to the sandbox, added latency (ms)")
    prefix = new_prefix("pub")
    make_topics(ctx.bootstrap, prefix)
    run_dir = ctx.scratch / "publisher-run"
    registry_path = write_demo_registry(base=DEFAULT_REGISTRY_PATH, run_dir=run_dir)
    registry = load_registry(registry_path)
    port = free_port()
    sandbox_url = f"http://127.0.0.1:{port}"
    group = f"{prefix}switchboard-publisher"
    env = {**os.environ, **local_publisher_env(run_dir=run_dir, sandbox_url=sandbox_url,
                                                registry=registry)}  # fmt: skip
    env.update({
        "SWITCHBOARD_KAFKA_BOOTSTRAP_SERVERS": ctx.bootstrap,
        "SWITCHBOARD_KAFKA_TOPIC_PREFIX": prefix,
        "SWITCHBOARD_DATA_DIR": str(run_dir),
        "SWITCHBOARD_REGISTRY_PATH": str(registry_path),
        "SWITCHBOARD_LOG_LEVEL": "WARNING",
    })  # fmt: skip
    serve = [PYTHON, "-m", "services", "sandbox", "serve", "--port", str(port)]
    sandbox = Service("sandbox", serve, env, ctx.scratch / "sandbox.log")
    publisher = Service("publisher", [PYTHON, "-m", "services", "publisher", "run"], env,
                        ctx.scratch / "publisher.log")  # fmt: skip
    channels = [(c.id, Platform(c.spec.platform)) for c in registry]
    result.params = {"burst": burst, "paced": paced, "pace_per_s": pace_hz,
                     "accounts": len(channels), "sandbox": "separate process (uvicorn)",
                     "publisher": "separate process"}  # fmt: skip
    producer = KafkaProducer(bootstrap_servers=ctx.bootstrap, acks="all", linger_ms=5)
    outcomes = _Outcomes(ctx.bootstrap, f"{prefix}{INBOX_WORK.name}")
    topic = f"{prefix}{OUTBOX_REPLIES.name}"
    try:
        sandbox.start()
        sandbox.wait_http(f"{sandbox_url}/healthz", timeout_s=120, every=0.2)
        publisher.start()
        wait_until(lambda: group_has_members(ctx.bootstrap, group), timeout_s=120,
                   what="the publisher's consumer group")  # fmt: skip

        replies = [_reply(*channels[i % len(channels)], i) for i in range(burst)]
        t0 = time.time()
        for r in replies:
            producer.send(topic, key=r.channel_id.encode(), value=r.to_bytes())
        producer.flush()
        outcomes.wait({str(r.reply_id) for r in replies}, timeout_s=600)
        span = max(outcomes.at[str(r.reply_id)] for r in replies) / 1000 - t0
        rate = burst / span

        sent: dict[str, int] = {}
        for i in range(paced):
            r = _reply(*channels[i % len(channels)], burst + i)
            meta = producer.send(topic, key=r.channel_id.encode(), value=r.to_bytes()).get(30)
            sent[str(r.reply_id)] = meta.timestamp
            time.sleep(1 / pace_hz)
        outcomes.wait(set(sent), timeout_s=300)
        latency = [float(outcomes.at[k] - ts) for k, ts in sent.items()]
        publisher.sample_peak()

        token = _token(run_dir)
        bare_rate, bare_latency = _bare(sandbox_url, token, burst, len(channels))
    finally:
        producer.close()
        outcomes.recorder.close()
        publisher.stop()
        sandbox.stop()
        drop_topics(ctx.bootstrap, prefix)
    ctx.record_peak("publisher", publisher.peak_kib)
    bare_p50, bare_p99 = percentile(bare_latency, 50), percentile(bare_latency, 99)
    result.add(Figure("replies published/s (burst)", round(rate, 1), "replies/s",
                      "bare HTTP POSTs to the sandbox", round(bare_rate, 1)))  # fmt: skip
    for q, bare in ((50, bare_p50), (99, bare_p99)):
        result.add(Figure(f"Reply on the topic -> reply_published p{q}",
                          round(percentile(latency, q), 1), "ms", f"bare POST p{q}",
                          round(bare, 1), higher_is_better=False))  # fmt: skip
    result.notes.append(
        f"{burst} replies over {len(channels)} accounts in {span:.2f}s; "
        f"{outcomes.failed} failed; latency over {paced} replies at {pace_hz:.0f}/s"
    )
    return result


def _token(run_dir: Path) -> str:
    keys: dict[str, str] = json.loads((run_dir / "sandbox-secrets.json").read_text())
    return keys["bearer"]
