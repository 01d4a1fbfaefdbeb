"""The whole pipeline as a user runs it: `switchboard up` with every service as a process.

It runs against the session's real broker with its own topic prefix, data folder, SQLite
database, router app id, free ports and a clock file the router reads its `now` from.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from schemas.registry import DEFAULT_REGISTRY_PATH
from services.common.kafka_admin import create_topics
from services.ingest.signatures import meta_signature, x_signature
from services.supervisor.demo_run import write_demo_registry
from tests.support.clock import set_clock
from tests.support.ports import free_port

T = TypeVar("T")
MONDAY_OPEN = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@dataclass
class Pipeline:
    """Handles on a running pipeline."""

    api: str
    ingest: str
    env: dict[str, str]
    clock_file: Path
    admin_token: str
    topic_prefix: str
    bootstrap: str
    log: list[str]

    def set_clock(self, at: datetime) -> None:
        set_clock(self.clock_file, at)

    def post_webhook(self, platform: str, payload: dict[str, Any] | bytes) -> httpx.Response:
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        if platform == "twitter":
            sig = x_signature(self.env["SWITCHBOARD_X_CONSUMER_SECRET"], body)
            headers = {"x-twitter-webhooks-signature": sig}
        else:
            sig = meta_signature(self.env["SWITCHBOARD_META_APP_SECRET"], body)
            headers = {"X-Hub-Signature-256": sig}
        return httpx.post(
            f"{self.ingest}/webhooks/{platform}",
            content=body,
            headers={**headers, "Content-Type": "application/json"},
            timeout=30,
        )

    def get(self, path: str, token: str | None = None, **params: str) -> httpx.Response:
        auth = {"Authorization": f"Bearer {token or self.admin_token}"}
        return httpx.get(f"{self.api}{path}", headers=auth, params=params, timeout=30)

    def cli(self, *args: str) -> str:
        proc = subprocess.run(
            [sys.executable, "-m", "services", *args],
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        return proc.stdout.strip()


@pytest.fixture(scope="module")
def pipeline(kafka_bootstrap: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pipeline]:
    data = tmp_path_factory.mktemp("e2e")
    prefix = f"e2e{uuid.uuid4().hex[:8]}."
    create_topics(kafka_bootstrap, prefix=prefix)
    api_port, ingest_port, web_port = free_port(), free_port(), free_port()
    sandbox_port = free_port()
    sla_port = free_port()
    clock = data / "clock"
    clock.write_text(MONDAY_OPEN.isoformat())
    env = {
        **os.environ,
        "SWITCHBOARD_KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
        "SWITCHBOARD_KAFKA_TOPIC_PREFIX": prefix,
        "SWITCHBOARD_DATA_DIR": str(data),
        "SWITCHBOARD_DATABASE_URL": f"sqlite:///{data / 'switchboard.db'}",
        "SWITCHBOARD_REGISTRY_PATH": str(
            write_demo_registry(base=DEFAULT_REGISTRY_PATH, run_dir=data / "registry")
        ),
        "SWITCHBOARD_ROUTER_APP_ID": f"e2e-router-{uuid.uuid4().hex[:8]}",
        "SWITCHBOARD_ROUTER_CLOCK_FILE": str(clock),
        "SWITCHBOARD_UP_API_PORT": str(api_port),
        "SWITCHBOARD_UP_INGEST_PORT": str(ingest_port),
        "SWITCHBOARD_UP_ROUTER_WEB_PORT": str(web_port),
        "SWITCHBOARD_UP_SANDBOX_PORT": str(sandbox_port),
        "SWITCHBOARD_PUBLISHER_GROUP_ID": f"e2e-publisher-{uuid.uuid4().hex[:8]}",
        "SWITCHBOARD_UP_SLA_PORT": str(sla_port),
        "SWITCHBOARD_META_APP_SECRET": uuid.uuid4().hex,
        "SWITCHBOARD_META_VERIFY_TOKEN": uuid.uuid4().hex,
        "SWITCHBOARD_X_CONSUMER_SECRET": uuid.uuid4().hex,
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "services", "up", "--no-broker", "--no-demo"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    log: list[str] = []
    ready = threading.Event()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            log.append(line.rstrip())
            # The token is printed just after the ready line; wait for it too.
            if "Admin token:" in line and any(x.startswith("Switchboard is ready:") for x in log):
                ready.set()

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.monotonic() + 240
    while not ready.wait(0.5):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail("switchboard up never became ready:\n" + "\n".join(log[-60:]))
    token = next(line.split("Admin token:")[1].split()[0] for line in log if "Admin token:" in line)
    yield Pipeline(
        api=f"http://127.0.0.1:{api_port}",
        ingest=f"http://127.0.0.1:{ingest_port}",
        env=env,
        clock_file=clock,
        admin_token=token,
        topic_prefix=prefix,
        bootstrap=kafka_bootstrap,
        log=log,
    )
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=90)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail("switchboard up did not stop within 90 s of SIGTERM")
    assert not (data / "run" / "children").exists(), "children were left behind"
