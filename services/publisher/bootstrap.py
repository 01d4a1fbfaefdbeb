"""Builds the whole publisher from one config; tests override the clock, sleep or clients."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from schemas.enums import Platform
from schemas.events import Reply
from schemas.registry import ChannelRegistry, load_registry
from services.common.clock import utc_now
from services.publisher.adapters.credentials import load_credentials
from services.publisher.adapters.http import HttpPlatformClient, PlatformPort
from services.publisher.adapters.kafka import KafkaOutbox
from services.publisher.adapters.store import AttemptStore
from services.publisher.delivery import Delivery, DeliveryConfig
from services.publisher.domain.backoff import Backoff
from services.publisher.domain.requests import ApiVersions
from services.publisher.settings import PublisherConfig, PublisherSettings
from services.publisher.worker import PublisherWorker


@dataclass
class Publisher:
    """The running parts, started and stopped together."""

    worker: PublisherWorker
    outbox: KafkaOutbox
    store: AttemptStore
    clients: Mapping[Platform, PlatformPort]
    delivery: Delivery

    async def run(self, stop: asyncio.Event) -> None:
        """Run until `stop` is set, then release everything."""
        await self.outbox.start()
        try:
            await self.worker.run(stop)
        finally:
            await self.outbox.stop()
            for client in self.clients.values():
                await client.aclose()
            self.store.close()


def platform_clients(settings: PublisherSettings) -> dict[Platform, PlatformPort]:
    """One HTTP client per platform, at its configured base URL."""
    bases = {
        Platform.TWITTER: settings.x_api_base,
        Platform.FACEBOOK: settings.facebook_api_base,
        Platform.INSTAGRAM: settings.instagram_api_base,
        Platform.YOUTUBE: settings.youtube_api_base,
        Platform.LINKEDIN: settings.linkedin_api_base,
        Platform.FLICKR: settings.flickr_api_base,
    }
    return {
        p: HttpPlatformClient(p, base_url=url, timeout_s=settings.request_timeout_s)
        for p, url in bases.items()
    }


def queue_lookup(registry: ChannelRegistry) -> Callable[[Reply], str]:
    """The queue an outcome event names: the reply's own, else the channel's owner queue."""

    def queue_of(reply: Reply) -> str:
        if reply.queue:
            return reply.queue
        channel = registry.get(reply.channel_id)
        return channel.queue if channel else "triage"

    return queue_of


def build_publisher(
    config: PublisherConfig,
    *,
    clock: Callable[[], datetime] = utc_now,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    rand: Callable[[], float] = random.random,
    clients: Mapping[Platform, PlatformPort] | None = None,
    registry: ChannelRegistry | None = None,
) -> Publisher:
    """The publisher wired from `config`."""
    s = config.publisher
    store = AttemptStore(
        s.store_path or config.paths.data_dir / "publisher.db", synchronous=s.store_synchronous
    )
    outbox = KafkaOutbox(config.kafka)
    ports = clients if clients is not None else platform_clients(s)
    delivery = Delivery(
        clients=ports,
        credentials=load_credentials(path=s.secrets_file, inline=s.credentials_json),
        store=store,
        outbox=outbox,
        config=DeliveryConfig(
            backoff=Backoff(base_s=s.backoff_base_s, cap_s=s.backoff_cap_s, rand=rand),
            max_requests=s.max_requests,
            max_wait_s=s.max_wait_s,
            permalink_base=s.permalink_base,
            versions=ApiVersions(graph=s.graph_version, linkedin=s.linkedin_version),
            usage_pause=timedelta(seconds=s.meta_usage_pause_s),
        ),
        clock=clock,
        sleep=sleep,
        queue_of=queue_lookup(registry or load_registry(config.paths.registry_path)),
    )
    worker = PublisherWorker(
        kafka=config.kafka,
        group_id=s.group(config.kafka.topic_prefix),
        delivery=delivery,
        max_in_flight=s.max_in_flight,
        offset_reset=s.offset_reset,
        drain_s=s.drain_s,
    )
    return Publisher(worker=worker, outbox=outbox, store=store, clients=ports, delivery=delivery)
