"""Bench-only helpers: topics, percentiles, peak RSS (ports, clocks, processes: tests.support)."""

from __future__ import annotations

import math
import signal
import subprocess
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from services.common.kafka_admin import create_topics
from tests.support.processes import PYTHON, Process

# bench/rebuild.py and others import it from here; it lives with the test helpers.
from tests.support.topics import drop_topics as drop_topics


def new_prefix(tag: str) -> str:
    return f"bench{tag}{uuid.uuid4().hex[:8]}."


def make_topics(bootstrap: str, prefix: str) -> None:
    create_topics(bootstrap, prefix=prefix)


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


@dataclass
class Service(Process):
    """A process this benchmark started, which also tracks its peak resident set size."""

    peak_kib: int | None = None

    def sample_peak(self) -> int | None:
        """Read VmHWM now (it only grows while the process lives)."""
        if self.running():
            value = vm_hwm_kib(self.pid)
            if value is not None:
                self.peak_kib = max(self.peak_kib or 0, value)
        return self.peak_kib

    def stop(self, sig: int = signal.SIGTERM, *, timeout_s: float = 20) -> None:
        self.sample_peak()
        super().stop(sig, timeout_s=timeout_s)
