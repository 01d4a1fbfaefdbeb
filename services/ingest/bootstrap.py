"""Builds what ingest's commands need from one composed settings object (plus test overrides).

Every part is built on first use, so `normalise` never touches Kafka and each command fails
in the same order as before (a bad registry is only reported by a command that reads it).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from schemas.registry import ChannelRegistry, load_registry
from services.common.clock import utc_now
from services.common.kafka_publisher import KafkaPublisher
from services.ingest.pipeline import InboxPublisher
from services.ingest.settings import IngestServiceSettings

if TYPE_CHECKING:
    import httpx
    from fastapi import FastAPI

    from services.ingest.pollers.runner import Poller
    from services.ingest.replay import Replayer
    from services.ingest.webhook import WebhookSettings

CLIENT_ID = "switchboard-ingest"


@dataclass
class Ingest:
    """The ingest service's parts; built by `bootstrap`, each part on first use."""

    settings: IngestServiceSettings
    clock: Callable[[], datetime]
    sleep: Callable[[float], None]
    registry_override: ChannelRegistry | None = None
    publisher_override: InboxPublisher | None = None
    http_client_override: httpx.Client | None = field(default=None)

    @cached_property
    def health_dir(self) -> Path:
        """Where the webhook and the pollers write their per-account health files."""
        if self.settings.ingest.health_dir:
            return Path(self.settings.ingest.health_dir)
        return self.settings.paths.data_dir / "ingest" / "health"

    @cached_property
    def registry(self) -> ChannelRegistry:
        """The channel registry (raises RegistryError if the file is missing or invalid)."""
        if self.registry_override is not None:
            return self.registry_override
        return load_registry(self.settings.paths.registry_path)

    @cached_property
    def publisher(self) -> InboxPublisher:
        """The shared Kafka publisher every command produces with."""
        if self.publisher_override is not None:
            return self.publisher_override
        return KafkaPublisher(
            self.settings.kafka,
            timeout_s=self.settings.ingest.publish_timeout_s,
            client_id=CLIENT_ID,
        )

    @cached_property
    def webhook_settings(self) -> WebhookSettings:
        """The webhook receiver's secrets and limits."""
        from services.ingest.webhook import WebhookSettings

        s = self.settings
        return WebhookSettings(ingest=s.ingest, meta=s.meta, x=s.x)

    def replayer(self) -> Replayer:
        """Replays a JSON-lines file of raw payloads through the publisher."""
        from services.ingest.replay import Replayer

        return Replayer(registry=self.registry, publisher=self.publisher, clock=self.clock)

    def webhook_app(self) -> FastAPI:
        """The webhook app, publishing through a health-recording wrapper, with /metrics."""
        from services.ingest.health import HealthBook
        from services.ingest.health_web import HealthRecordingPublisher, add_metrics_route
        from services.ingest.webhook import create_app

        recording = HealthRecordingPublisher(
            inner=self.publisher,
            health=HealthBook(path=self.health_dir / "webhook.json"),
            clock=self.clock,
        )
        web = create_app(
            settings=self.webhook_settings, publisher=recording, registry=self.registry
        )
        add_metrics_route(web, health_dir=self.health_dir)
        return web

    def poller(self) -> Poller:
        """The pollers over every configured adapter, with cursors and health files."""
        import httpx

        from services.ingest.health import HealthBook
        from services.ingest.pollers.adapters import adapters
        from services.ingest.pollers.cursor import CursorStore
        from services.ingest.pollers.http import Retry
        from services.ingest.pollers.runner import Poller

        ingest = self.settings.ingest
        return Poller(
            adapters=adapters(ingest),
            client=self.http_client_override or httpx.Client(timeout=30),
            store=CursorStore(self.settings.paths.data_dir / "ingest" / "cursors.sqlite3"),
            registry=self.registry,
            publisher=self.publisher,
            retry=Retry(ingest.poll_max_attempts, ingest.poll_backoff_s, self.sleep),
            clock=self.clock,
            max_pages=ingest.poll_max_pages,
            health=HealthBook(path=self.health_dir / "poll.json"),
        )

    def close(self) -> None:
        """Close the publisher if one was built."""
        if "publisher" in self.__dict__:
            self.publisher.close()


def bootstrap(
    settings: IngestServiceSettings | None = None,
    *,
    registry: ChannelRegistry | None = None,
    publisher: InboxPublisher | None = None,
    clock: Callable[[], datetime] = utc_now,
    sleep: Callable[[float], None] = time.sleep,
    http_client: httpx.Client | None = None,
) -> Ingest:
    """Ingest's parts from one composed settings object; keyword overrides are for tests."""
    return Ingest(
        settings=settings or IngestServiceSettings(),
        clock=clock,
        sleep=sleep,
        registry_override=registry,
        publisher_override=publisher,
        http_client_override=http_client,
    )
