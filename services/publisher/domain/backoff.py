"""Exponential backoff with jitter; the random source is passed in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    """Delay before retry n (n = 1 after the first failure): base * 2**(n-1), capped.

    Half the delay is fixed and half is random ("equal jitter"), so many replies failing
    together do not retry in step, yet no retry comes sooner than half the schedule.
    """

    base_s: float
    cap_s: float
    rand: Callable[[], float]  # uniform in [0, 1)

    def delay(self, retry: int) -> float:
        """Seconds to wait before retry number `retry` (1-based)."""
        if retry < 1:
            raise ValueError("retry numbers start at 1")
        ceiling = min(self.cap_s, self.base_s * 2.0 ** min(retry - 1, 30))
        return ceiling / 2 + self.rand() * ceiling / 2

    def wait(self, retry: int, *, retry_after_s: float | None) -> float:
        """The backoff delay, or the platform's own wait when that is longer."""
        own = self.delay(retry)
        return max(own, retry_after_s) if retry_after_s is not None else own
