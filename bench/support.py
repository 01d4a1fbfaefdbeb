"""Shared helpers: ports, clock files, topics, processes we start, percentiles, peak RSS."""

from __future__ import annotations

import math
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from services.common.kafka_admin import admin_client, create_topics

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def set_clock(path: Path, instant: str) -> None:
    """Atomically move the router's clock (it reads the file on every use)."""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(instant)
    tmp.replace(path)


def new_prefix(tag: str) -> str:
    return f"bench{tag}{uuid.uuid4().hex[:8]}."


def make_topics(bootstrap: str, prefix: str) -> None:
    create_topics(bootstrap, prefix=prefix)


def drop_topics(bootstrap: str, prefix: str) -> None:
    """Delete every topic with our prefix (ours only: prefixes are random per run)."""
    client = admin_client(bootstrap)
    try:
        ours = [t for t in client.list_topics() if t.startswith(prefix)]
        if ours:
            client.delete_topics(ours)
    finally:
        client.close()


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of values; nan when empty."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def vm_hwm_kib(pid: int) -> int | None:
    """Peak resident set size (VmHWM) of a live process, KiB; None when unreadable."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def bare_python_hwm_kib() -> int:
    """Baseline for memory: peak RSS of this interpreter running nothing."""
    proc = subprocess.Popen(
        [PYTHON, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE, text=True
    )
    time.sleep(0.3)
    value = vm_hwm_kib(proc.pid) or 0
    assert proc.stdin is not None
    proc.stdin.close()
    proc.wait(timeout=10)
    return value


def wait_until(
    probe: Callable[[], bool], *, timeout_s: float, what: str, every: float = 0.2
) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if probe():
            return
        time.sleep(every)
    raise TimeoutError(f"timed out after {timeout_s:.0f}s waiting for {what}")


def http_ok(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


@dataclass
class Service:
    """A process this benchmark started (own session, so we can stop exactly its group)."""

    name: str
    argv: list[str]
    env: dict[str, str]
    log: Path
    proc: subprocess.Popen[bytes] | None = None
    peak_kib: int | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                self.argv,
                cwd=REPO,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def wait_http(self, url: str, *, timeout_s: float = 120) -> float:
        started = time.monotonic()

        def probe() -> bool:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited early:\n{self.tail()}")
            return http_ok(url)

        wait_until(probe, timeout_s=timeout_s, what=f"{self.name} at {url}")
        return time.monotonic() - started

    def sample_peak(self) -> int | None:
        """Read VmHWM now (it only grows while the process lives)."""
        if self.proc is not None and self.proc.poll() is None:
            value = vm_hwm_kib(self.proc.pid)
            if value is not None:
                self.peak_kib = max(self.peak_kib or 0, value)
        return self.peak_kib

    def stop(self, *, timeout_s: float = 20) -> None:
        self.sample_peak()
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def tail(self, n: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return "(no log)"
