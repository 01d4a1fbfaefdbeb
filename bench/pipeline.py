"""`switchboard up --no-broker --no-demo` as a user runs it, on our own prefix, ports and data."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench.support import drop_topics, vm_hwm_kib
from schemas.registry import DEFAULT_REGISTRY_PATH
from services.ingest.signatures import meta_signature, x_signature
from services.supervisor.demo_run import write_demo_registry
from tests.support.clock import set_clock
from tests.support.ports import free_port
from tests.support.processes import PYTHON, REPO

SERVICE_NAMES = {
    ("api", "serve"): "api",
    ("api", "project"): "projector",
    ("router", "worker"): "router",
    ("ingest", "serve"): "ingest",
}


@dataclass
class Pipeline:
    """Handles on a running pipeline."""

    data: Path
    prefix: str
    env: dict[str, str]
    api: str = ""
    ingest: str = ""
    token: str = ""
    proc: subprocess.Popen[str] | None = None
    log: list[str] = field(default_factory=list)
    peaks: dict[str, int] = field(default_factory=dict)

    @property
    def clock_file(self) -> Path:
        return self.data / "clock"

    def set_clock(self, instant: str) -> None:
        set_clock(self.clock_file, instant)

    def sign(self, platform: str, body: bytes) -> dict[str, str]:
        if platform == "twitter":
            sig = x_signature(self.env["SWITCHBOARD_X_CONSUMER_SECRET"], body)
            return {"x-twitter-webhooks-signature": sig, "Content-Type": "application/json"}
        sig = meta_signature(self.env["SWITCHBOARD_META_APP_SECRET"], body)
        return {"X-Hub-Signature-256": sig, "Content-Type": "application/json"}

    def get(self, path: str, **params: Any) -> Any:
        response = httpx.get(
            f"{self.api}{path}",
            params=params,
            timeout=30,
            headers={"Authorization": f"Bearer {self.token}"},
        )
        response.raise_for_status()
        return response.json()

    def check_alive(self) -> None:
        """Raise (with the supervisor's last lines) if `switchboard up` has stopped."""
        if self.proc is None or self.proc.poll() is not None:
            raise RuntimeError("switchboard up stopped:\n" + "\n".join(self.log[-30:]))

    def service_pids(self) -> dict[str, int]:
        """The supervisor's children (it records their pids), named by their command line."""
        out: dict[str, int] = {}
        try:
            pids = [int(x) for x in (self.data / "run" / "children").read_text().split()]
        except (OSError, ValueError):
            return out
        for pid in pids:
            try:
                argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
            except OSError:
                continue
            for (a, b), name in SERVICE_NAMES.items():
                if a in argv and b in argv:
                    out[name] = pid
        return out

    def sample_peaks(self) -> dict[str, int]:
        for name, pid in self.service_pids().items():
            kib = vm_hwm_kib(pid)
            if kib is not None:
                self.peaks[name] = max(self.peaks.get(name, 0), kib)
        return self.peaks


def start(*, bootstrap: str, scratch: Path, clock: str) -> Pipeline:
    data = scratch / f"pipeline-{uuid.uuid4().hex[:6]}"
    data.mkdir(parents=True)
    prefix = f"benchp{uuid.uuid4().hex[:8]}."
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
        "SWITCHBOARD_ROUTER_APP_ID": f"bench-router-{uuid.uuid4().hex[:8]}",
        "SWITCHBOARD_ROUTER_CLOCK_FILE": str(data / "clock"),
        "SWITCHBOARD_UP_API_PORT": str(api_port),
        "SWITCHBOARD_UP_INGEST_PORT": str(ingest_port),
        "SWITCHBOARD_UP_ROUTER_WEB_PORT": str(web_port),
        "SWITCHBOARD_META_APP_SECRET": uuid.uuid4().hex,
        "SWITCHBOARD_META_VERIFY_TOKEN": uuid.uuid4().hex,
        "SWITCHBOARD_X_CONSUMER_SECRET": uuid.uuid4().hex,
        "SWITCHBOARD_LOG_LEVEL": "WARNING",
    }
    pipe = Pipeline(
        data=data,
        prefix=prefix,
        env=env,
        api=f"http://127.0.0.1:{api_port}",
        ingest=f"http://127.0.0.1:{ingest_port}",
    )
    pipe.set_clock(clock)
    pipe.proc = subprocess.Popen(
        [PYTHON, "-m", "services", "up", "--no-broker", "--no-demo"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    ready = threading.Event()

    def pump() -> None:
        assert pipe.proc is not None
        assert pipe.proc.stdout is not None
        for line in pipe.proc.stdout:
            pipe.log.append(line.rstrip())
            if "Admin token:" in line:
                pipe.token = line.split("Admin token:")[1].split()[0]
                ready.set()

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.monotonic() + 240
    while not ready.wait(0.5):
        if pipe.proc.poll() is not None or time.monotonic() > deadline:
            stop(pipe)
            raise RuntimeError("switchboard up never became ready:\n" + "\n".join(pipe.log[-40:]))
    return pipe


def stop(pipe: Pipeline) -> None:
    """SIGTERM `up` (it stops its children), after reading every child's peak RSS."""
    pipe.sample_peaks()
    if pipe.proc is None or pipe.proc.poll() is not None:
        return
    os.killpg(pipe.proc.pid, signal.SIGTERM)
    try:
        pipe.proc.wait(timeout=90)
    except subprocess.TimeoutExpired:
        children = pipe.service_pids().values()
        os.killpg(pipe.proc.pid, signal.SIGKILL)
        pipe.proc.wait(timeout=10)
        for pid in children:  # `up` could not stop them: they are ours, in their own groups
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
    drop_topics(pipe.env["SWITCHBOARD_KAFKA_BOOTSTRAP_SERVERS"], pipe.prefix)
    (pipe.data / "peaks.json").write_text(json.dumps(pipe.peaks))
