"""Wiring ingestion health into the webhook server: a recording publisher and /metrics."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import PlainTextResponse

from schemas import DeadLetter, InboxItem
from services.ingest.health import HealthBook, prometheus, read_health
from services.ingest.pipeline import InboxPublisher


class HealthRecordingPublisher:
    """A Publisher that marks each addressed account's webhook delivery as a success.

    Only acknowledged items count. Unknown channels share one `unknown` account, so a
    stream of made-up account names cannot grow the metrics' label set.
    """

    def __init__(
        self, *, inner: InboxPublisher, health: HealthBook, clock: Callable[[], datetime]
    ) -> None:
        self._inner = inner
        self._health = health
        self._clock = clock

    def publish_items(self, items: Sequence[InboxItem]) -> None:
        """Produce, then record the success per account."""
        self._inner.publish_items(items)
        now = self._clock()
        for account in sorted({i.channel_id if i.channel_known else "unknown" for i in items}):
            self._health.success(account, now=now, via="webhook")

    def publish_dead_letter(self, letter: DeadLetter) -> None:
        """Produce a dead letter (not a success for anyone)."""
        self._inner.publish_dead_letter(letter)

    def close(self) -> None:
        """Close the wrapped publisher."""
        self._inner.close()


def add_metrics_route(app: FastAPI, *, health_dir: Path) -> None:
    """GET /metrics: every ingest process's per-account health, Prometheus text format."""

    def metrics() -> PlainTextResponse:
        return PlainTextResponse(
            prometheus(read_health(health_dir)), media_type="text/plain; version=0.0.4"
        )

    app.add_api_route("/metrics", metrics, methods=["GET"], include_in_schema=False)
