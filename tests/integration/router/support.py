"""Helpers for the router's integration tests: a worker subprocess, a file clock, readers."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from kafka import KafkaConsumer, KafkaProducer

from schemas.events import InboxItem
from schemas.topics import INBOX_ITEMS, TopicSpec
from services.common.settings import KafkaSettings

REPO = Path(__file__).resolve().parents[3]
READY_TIMEOUT_S = 90.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def set_clock(path: Path, instant: str) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(instant)
    tmp.replace(path)


@dataclass
class RouterProcess:
    """One `switchboard router worker` subprocess (its own process group)."""

    env: dict[str, str]
    log: Path
    port: int
    proc: subprocess.Popen[bytes] | None = None
    starts: int = 0

    def start(self) -> None:
        self.starts += 1
        with self.log.open("ab") as out:
            out.write(f"\n===== start {self.starts} =====\n".encode())
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "services", "router", "worker"],
                cwd=REPO,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"router worker exited early:\n{self.tail()}")
            try:
                if self.ready():
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise AssertionError(f"router worker not ready in {READY_TIMEOUT_S}s:\n{self.tail()}")

    def ready(self) -> bool:
        base = f"http://127.0.0.1:{self.port}"
        # "/" answers as soon as the web server is up; "/ready" once tables are recovered.
        return all(httpx.get(base + p, timeout=1).status_code == 200 for p in ("/", "/ready"))

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, sig)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def tail(self, n: int = 60) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])


def send(producer: KafkaProducer, topic: str, key: str, value: bytes) -> None:
    producer.send(topic, key=key.encode(), value=value)
    producer.flush()


def send_item(producer: KafkaProducer, kafka: KafkaSettings, item: InboxItem) -> None:
    send(producer, kafka.topic(INBOX_ITEMS), item.channel_id, item.to_bytes())


@dataclass
class Collector:
    """Reads a topic from the beginning and keeps everything it saw."""

    kafka: KafkaSettings
    spec: TopicSpec
    seen: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.consumer = KafkaConsumer(
            self.kafka.topic(self.spec),
            bootstrap_servers=self.kafka.bootstrap_servers.split(","),
            auto_offset_reset="earliest",
            enable_auto_commit=False,
            group_id=None,
        )

    def poll(self) -> None:
        for records in self.consumer.poll(timeout_ms=500).values():
            self.seen.extend(json.loads(r.value) for r in records)

    def wait_for(
        self, predicate: Callable[[list[dict[str, Any]]], bool], *, timeout: float = 60
    ) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.poll()
            if predicate(self.seen):
                return self.seen
        raise AssertionError(f"timed out waiting on {self.spec.name}; saw {len(self.seen)}")

    def settle(self, seconds: float) -> list[dict[str, Any]]:
        """Keep reading for a while, to catch anything extra (duplicates)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.poll()
        return self.seen

    def close(self) -> None:
        self.consumer.close()


def make_item(
    n: int | str, *, channel: str = "facebook:nhshee", created_at: str, text: str = "hello"
) -> InboxItem:
    platform = channel.split(":")[0] if not channel.startswith("unknown:") else "twitter"
    known = not channel.startswith("unknown:")
    return InboxItem.create(
        platform=platform,
        channel_id=channel,
        channel_known=known,
        addressed_account=channel.split(":")[-1],
        kind="comment",
        platform_item_id=f"it-{n}-{uuid.uuid4().hex[:6]}",
        text=text,
        created_at=datetime.fromisoformat(created_at),
    )
