"""Prometheus text exposition, written by hand: request latency histograms and gauges."""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# A client chooses the method it sends; only these become label values, the rest "other",
# so the number of series stays bounded (routes are templates, statuses HTTP codes).
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
OTHER = "other"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _labels(pairs: Iterable[tuple[str, str]]) -> str:
    inner = ",".join(f'{k}="{_escape(v)}"' for k, v in pairs)
    return "{" + inner + "}" if inner else ""


class RequestMetrics:
    """Latency histogram per route template, method and status (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[tuple[str, str, str], list[int]] = defaultdict(
            lambda: [0] * len(BUCKETS)
        )
        self._sums: dict[tuple[str, str, str], float] = defaultdict(float)
        self._totals: dict[tuple[str, str, str], int] = defaultdict(int)

    def observe(self, *, route: str, method: str, status: int, seconds: float) -> None:
        """Record one request (an unknown method is counted as "other")."""
        label = method if method in METHODS else OTHER
        code = str(status) if 100 <= status <= 599 else OTHER
        key = (route, label, code)
        with self._lock:
            counts = self._counts[key]
            for i, bound in enumerate(BUCKETS):
                if seconds <= bound:
                    counts[i] += 1
            self._sums[key] += seconds
            self._totals[key] += 1

    def render(self) -> list[str]:
        """Exposition lines of the histogram."""
        name = "switchboard_api_request_duration_seconds"
        lines = [f"# HELP {name} HTTP request latency.", f"# TYPE {name} histogram"]
        with self._lock:
            for key in sorted(self._totals):
                base = list(zip(("route", "method", "status"), key, strict=True))
                for bound, count in zip(BUCKETS, self._counts[key], strict=True):
                    lines.append(f"{name}_bucket{_labels([*base, ('le', str(bound))])} {count}")
                lines.append(f"{name}_bucket{_labels([*base, ('le', '+Inf')])} {self._totals[key]}")
                lines.append(f"{name}_sum{_labels(base)} {self._sums[key]:.6f}")
                lines.append(f"{name}_count{_labels(base)} {self._totals[key]}")
        return lines


def render_gauges(
    *, items: dict[tuple[str, str], int], lag: dict[tuple[str, int], int] | None
) -> list[str]:
    """Items by queue and status, and the projector's lag per partition (absent if unknown)."""
    lines = [
        "# HELP switchboard_items Items in the API database by queue and status.",
        "# TYPE switchboard_items gauge",
    ]
    for (queue, status), count in sorted(items.items()):
        lines.append(f"switchboard_items{_labels([('queue', queue), ('status', status)])} {count}")
    lines += [
        "# HELP switchboard_projector_lag Routed events not yet projected, per partition.",
        "# TYPE switchboard_projector_lag gauge",
    ]
    for (topic, partition), value in sorted((lag or {}).items()):
        labels = _labels([("topic", topic), ("partition", str(partition))])
        lines.append(f"switchboard_projector_lag{labels} {value}")
    return lines


class GaugeCache:
    """The gauge lines of the last scrape, reused for `ttl_s` seconds.

    Counting items by queue and status reads the whole table; a scraper (or anyone hitting
    the unauthenticated /metrics) gets at most one such query per TTL per process.
    """

    def __init__(self, *, ttl_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl_s = ttl_s
        self._clock = clock
        self._lock = threading.Lock()
        self._lines: list[str] | None = None
        self._expires = 0.0

    def get(self, compute: Callable[[], list[str]]) -> list[str]:
        """The cached lines, or `compute()`'s when they are older than the TTL."""
        with self._lock:
            now = self._clock()
            if self._lines is None or now >= self._expires:
                self._lines = compute()
                self._expires = now + self.ttl_s
            return self._lines
