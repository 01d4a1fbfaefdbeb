"""Helpers for the router's integration tests: a worker subprocess and input records."""

from __future__ import annotations

import signal
import uuid
from datetime import datetime
from pathlib import Path

from kafka import KafkaProducer

from schemas.events import InboxItem
from schemas.topics import INBOX_ITEMS
from services.common.settings import KafkaSettings
from tests.support.processes import Process, switchboard

READY_TIMEOUT_S = 90.0


class RouterProcess(Process):
    """One `switchboard router worker` subprocess (its own process group)."""

    def __init__(self, *, env: dict[str, str], log: Path, port: int) -> None:
        super().__init__("router worker", switchboard("router", "worker"), env, log)
        self.port = port

    def start(self, *, banner: bool = True) -> None:
        super().start(banner=banner)
        base = f"http://127.0.0.1:{self.port}"
        # "/" answers as soon as the web server is up; "/ready" once tables are recovered.
        self.wait_http(base + "/", base + "/ready", timeout_s=READY_TIMEOUT_S)

    def kill(self, sig: int = signal.SIGKILL) -> None:
        self.stop(sig)


def send(producer: KafkaProducer, topic: str, key: str, value: bytes) -> None:
    producer.send(topic, key=key.encode(), value=value)
    producer.flush()


def send_item(producer: KafkaProducer, kafka: KafkaSettings, item: InboxItem) -> None:
    send(producer, kafka.topic(INBOX_ITEMS), item.channel_id, item.to_bytes())


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
