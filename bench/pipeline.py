"""`switchboard up --no-broker --no-demo` as a user runs it, on our own prefix, ports and data."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench.support import drop_topics, vm_hwm_kib
from tests.support.up import Up, start_up, up_env

SERVICE_NAMES = {
    ("api", "serve"): "api",
    ("api", "project"): "projector",
    ("router", "worker"): "router",
    ("ingest", "serve"): "ingest",
}


@dataclass
class Pipeline(Up):
    """Handles on a running pipeline, with the peak memory of its services."""

    peaks: dict[str, int] = field(default_factory=dict)

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
    env, api_port, ingest_port = up_env(
        bootstrap=bootstrap,
        prefix=prefix,
        data=data,
        tag="bench",
        extra={"SWITCHBOARD_LOG_LEVEL": "WARNING"},
    )
    pipe = Pipeline(
        data=data,
        prefix=prefix,
        bootstrap=bootstrap,
        env=env,
        api=f"http://127.0.0.1:{api_port}",
        ingest=f"http://127.0.0.1:{ingest_port}",
    )
    pipe.set_clock(clock)
    try:
        start_up(pipe)
    except RuntimeError:
        stop(pipe)
        raise
    return pipe


def stop(pipe: Pipeline) -> None:
    """SIGTERM `up` (it stops its children), after reading every child's peak RSS."""
    pipe.sample_peaks()
    children = pipe.service_pids().values()
    if not pipe.terminate(timeout_s=90):
        for pid in children:  # `up` could not stop them: they are ours, in their own groups
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
    drop_topics(pipe.env["SWITCHBOARD_KAFKA_BOOTSTRAP_SERVERS"], pipe.prefix)
    (pipe.data / "peaks.json").write_text(json.dumps(pipe.peaks))
