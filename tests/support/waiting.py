"""Polling with a deadline: the pipeline is asynchronous by design."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def eventually(probe: Callable[[], T | None], *, timeout_s: float = 60, what: str = "") -> T:
    """Poll until probe returns something truthy and return it; AssertionError on timeout."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        result = probe()
        if result:
            return result
        time.sleep(0.25)
    raise AssertionError(f"timed out after {timeout_s:.0f}s waiting for {what or probe}")


def wait_until(
    probe: Callable[[], bool], *, timeout_s: float, what: str, every: float = 0.2
) -> None:
    """Poll until probe is true; TimeoutError on timeout (benchmarks report it as a failure)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if probe():
            return
        time.sleep(every)
    raise TimeoutError(f"timed out after {timeout_s:.0f}s waiting for {what}")
