"""One supervised child process: started, log lines prefixed, readiness probed, stopped."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TextIO

logger = logging.getLogger(__name__)

_COLOURS = ("36", "35", "33", "32", "34", "31")


class ServiceFailedError(RuntimeError):
    """A service exited or never became ready; the message carries its last log lines."""


def http_ok(url: str, *, timeout_s: float = 1.0) -> bool:
    """True when GET url answers 2xx."""
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as resp:  # noqa: S310 - loopback
            return 200 <= int(resp.status) < 300
    except (urllib.error.URLError, OSError, ValueError):
        return False


@dataclass
class ServiceSpec:
    """How to run and probe one service."""

    name: str
    argv: list[str]
    ready: Callable[[], bool]
    env: dict[str, str] = field(default_factory=dict)
    ready_timeout_s: float = 90.0


class ManagedProcess:
    """A running service whose output is copied, line by line, with a coloured prefix."""

    def __init__(self, spec: ServiceSpec, *, index: int, out: TextIO = sys.stdout) -> None:
        self.spec = spec
        self._out = out
        colour = _COLOURS[index % len(_COLOURS)]
        label = f"{spec.name:<9}|"
        self._prefix = f"\x1b[{colour}m{label}\x1b[0m " if out.isatty() else f"{label} "
        self._tail: list[str] = []
        self._lock = threading.Lock()
        self.proc: subprocess.Popen[str] | None = None

    def start(self) -> None:
        """Start the process in its own process group (so Ctrl-C reaches us, not it)."""
        self.proc = subprocess.Popen(  # noqa: S603 - argv built from our own settings
            self.spec.argv,
            env={**os.environ, **self.spec.env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            bufsize=1,
            start_new_session=True,
        )
        threading.Thread(target=self._pump, name=f"log-{self.spec.name}", daemon=True).start()

    def _pump(self) -> None:
        assert self.proc is not None
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            with self._lock:
                self._tail = [*self._tail[-29:], line.rstrip()]
                self._out.write(self._prefix + line)
                self._out.flush()

    @property
    def pid(self) -> int:
        """Process id (also its process group id)."""
        assert self.proc is not None
        return self.proc.pid

    @property
    def exit_code(self) -> int | None:
        """None while running."""
        return None if self.proc is None else self.proc.poll()

    def tail(self) -> str:
        """The last lines it printed."""
        with self._lock:
            return "\n".join(self._tail) or "(no output)"

    def wait_ready(self) -> float:
        """Poll readiness; fail fast if the process dies. Returns seconds waited."""
        started = time.monotonic()
        while time.monotonic() - started < self.spec.ready_timeout_s:
            if self.exit_code is not None:
                raise ServiceFailedError(
                    f"{self.spec.name} exited with code {self.exit_code} during start-up:\n"
                    + self.tail()
                )
            if self.spec.ready():
                return time.monotonic() - started
            time.sleep(0.25)
        raise ServiceFailedError(
            f"{self.spec.name} was not ready after {self.spec.ready_timeout_s:.0f}s:\n"
            + self.tail()
        )

    def stop(self, *, timeout_s: float = 20.0) -> None:
        """SIGTERM the process group, then SIGKILL what is left after the timeout."""
        if self.proc is None or self.proc.poll() is not None:
            return
        pgid = os.getpgid(self.proc.pid)
        os.killpg(pgid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            logger.warning("%s ignored SIGTERM for %.0fs; killing it", self.spec.name, timeout_s)
            os.killpg(pgid, signal.SIGKILL)
            self.proc.wait()
        with contextlib.suppress(ProcessLookupError):  # what the service left in its group
            os.killpg(pgid, signal.SIGKILL)
