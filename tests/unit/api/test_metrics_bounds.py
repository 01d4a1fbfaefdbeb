"""/metrics stays bounded and cheap whatever clients send."""

from __future__ import annotations

from services.api.metrics import GaugeCache, RequestMetrics


def test_client_chosen_methods_collapse_to_one_label() -> None:
    metrics = RequestMetrics()
    for n in range(500):
        metrics.observe(route="<unmatched>", method=f"X{n}", status=405, seconds=0.001)
    metrics.observe(route="/v1/queues", method="GET", status=200, seconds=0.001)
    counts = [line for line in metrics.render() if "_count{" in line]
    assert len(counts) == 2
    assert any('method="other"' in line and line.endswith(" 500") for line in counts)


class Ticks:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_gauges_are_counted_once_per_ttl() -> None:
    clock = Ticks()
    cache = GaugeCache(ttl_s=10, clock=clock)
    calls: list[int] = []

    def compute() -> list[str]:
        calls.append(1)
        return [f"g {len(calls)}"]

    assert cache.get(compute) == ["g 1"]
    clock.now = 9.9
    assert cache.get(compute) == ["g 1"]
    clock.now = 10.0
    assert cache.get(compute) == ["g 2"] and len(calls) == 2
