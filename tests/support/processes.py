"""Switchboard processes that a test or benchmark starts, and stops exactly.

Each runs in its own session (process group), so stopping it stops its children and
nothing else; its output goes to a log file whose tail explains a failure.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def switchboard(*args: str) -> list[str]:
    """The argv of `switchboard ARGS...` run with this interpreter."""
    return [PYTHON, "-m", "services", *args]


def http_ok(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


@dataclass
class Process:
    """One process we started, with a log file and readiness by HTTP."""

    name: str
    argv: list[str]
    env: dict[str, str]
    log: Path
    proc: subprocess.Popen[bytes] | None = None
    starts: int = 0
    extra: dict[str, str] = field(default_factory=dict)

    def start(self, *, banner: bool = False) -> None:
        self.starts += 1
        with self.log.open("ab") as out:
            if banner:
                out.write(f"\n===== start {self.starts} =====\n".encode())
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

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def wait_http(self, *urls: str, timeout_s: float = 90, every: float = 0.3) -> float:
        """Wait until every url answers 200; seconds it took. Raises if the process exits."""
        started = time.monotonic()
        deadline = started + timeout_s
        while time.monotonic() < deadline:
            if not self.running():
                raise AssertionError(f"{self.name} exited early:\n{self.tail()}")
            if all(http_ok(u) for u in urls):
                return time.monotonic() - started
            time.sleep(every)
        raise AssertionError(f"{self.name} not ready in {timeout_s:.0f}s:\n{self.tail()}")

    def stop(self, sig: int = signal.SIGTERM, *, timeout_s: float = 30) -> None:
        """Signal the process group; SIGKILL it if it has not exited within timeout_s."""
        if not self.running():
            return
        assert self.proc is not None
        os.killpg(self.proc.pid, sig)
        try:
            self.proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def tail(self, n: int = 60) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return "(no log)"
