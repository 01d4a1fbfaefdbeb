"""`switchboard up --no-broker --no-demo` as a user runs it, on our own prefix, ports and data.

The e2e tests and the pipeline benchmarks both drive the whole pipeline through this one
handle: it starts `up` in its own session, reads its output until the ready line and the
admin token, and stops it (and only it) with SIGTERM.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from schemas.registry import DEFAULT_REGISTRY_PATH
from services.ingest.signatures import meta_signature, x_signature
from services.supervisor.demo_run import write_demo_registry
from tests.support.clock import set_clock
from tests.support.ports import free_port
from tests.support.processes import REPO, switchboard

READY_TIMEOUT_S = 240.0


@dataclass
class Up:
    """Handles on a running `switchboard up`."""

    data: Path
    prefix: str
    bootstrap: str
    env: dict[str, str]
    api: str
    ingest: str
    proc: subprocess.Popen[str] | None = None
    token: str = ""
    log: list[str] = field(default_factory=list)

    @property
    def clock_file(self) -> Path:
        return self.data / "clock"

    def set_clock(self, instant: str | datetime) -> None:
        set_clock(self.clock_file, instant)

    def sign(self, platform: str, body: bytes) -> dict[str, str]:
        """Headers a platform would send with this webhook body."""
        if platform == "twitter":
            sig = x_signature(self.env["SWITCHBOARD_X_CONSUMER_SECRET"], body)
            return {"x-twitter-webhooks-signature": sig, "Content-Type": "application/json"}
        sig = meta_signature(self.env["SWITCHBOARD_META_APP_SECRET"], body)
        return {"X-Hub-Signature-256": sig, "Content-Type": "application/json"}

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def terminate(self, *, timeout_s: float = 90) -> bool:
        """SIGTERM `up` (it stops its children); False if it had to be killed."""
        if not self.running():
            return True
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=timeout_s)
            return True
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
            return False


def up_env(
    *, bootstrap: str, prefix: str, data: Path, tag: str, extra: dict[str, str] | None = None
) -> tuple[dict[str, str], int, int]:
    """The environment of an isolated `up`: (env, api port, ingest port)."""
    api_port, ingest_port, web_port = free_port(), free_port(), free_port()
    env = {
        **os.environ,
        "SWITCHBOARD_KAFKA_BOOTSTRAP_SERVERS": bootstrap,
        "SWITCHBOARD_KAFKA_TOPIC_PREFIX": prefix,
        "SWITCHBOARD_DATA_DIR": str(data),
        "SWITCHBOARD_DATABASE_URL": f"sqlite:///{data / 'switchboard.db'}",
        "SWITCHBOARD_REGISTRY_PATH": str(
            write_demo_registry(base=DEFAULT_REGISTRY_PATH, run_dir=data / "registry")
        ),
        "SWITCHBOARD_ROUTER_APP_ID": f"{tag}-router-{uuid.uuid4().hex[:8]}",
        "SWITCHBOARD_ROUTER_CLOCK_FILE": str(data / "clock"),
        "SWITCHBOARD_UP_API_PORT": str(api_port),
        "SWITCHBOARD_UP_INGEST_PORT": str(ingest_port),
        "SWITCHBOARD_UP_ROUTER_WEB_PORT": str(web_port),
        # Every port our own: a default one may be taken by another run on this machine.
        "SWITCHBOARD_UP_SANDBOX_PORT": str(free_port()),
        "SWITCHBOARD_UP_SLA_PORT": str(free_port()),
        "SWITCHBOARD_PUBLISHER_GROUP_ID": f"{tag}-publisher-{uuid.uuid4().hex[:8]}",
        "SWITCHBOARD_META_APP_SECRET": uuid.uuid4().hex,
        "SWITCHBOARD_META_VERIFY_TOKEN": uuid.uuid4().hex,
        "SWITCHBOARD_X_CONSUMER_SECRET": uuid.uuid4().hex,
        **(extra or {}),
    }
    return env, api_port, ingest_port


def start_up(up: Up, *, timeout_s: float = READY_TIMEOUT_S) -> None:
    """Start `up`, and return once it printed its ready line and the admin token.

    RuntimeError (with its last lines) if it exits or is not ready in time; it is then stopped.
    """
    up.proc = subprocess.Popen(
        switchboard("up", "--no-broker", "--no-demo"),
        cwd=REPO,
        env=up.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    ready = threading.Event()

    def pump() -> None:
        assert up.proc is not None
        assert up.proc.stdout is not None
        for line in up.proc.stdout:
            up.log.append(line.rstrip())
            # The token is printed just after the ready line; wait for both.
            if "Admin token:" in line and any(
                x.startswith("Switchboard is ready:") for x in up.log
            ):
                up.token = line.split("Admin token:")[1].split()[0]
                ready.set()

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.monotonic() + timeout_s
    while not ready.wait(0.5):
        if not up.running() or time.monotonic() > deadline:
            up.terminate(timeout_s=10)
            raise RuntimeError("switchboard up never became ready:\n" + "\n".join(up.log[-60:]))
