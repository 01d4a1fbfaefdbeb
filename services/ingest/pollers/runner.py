"""The polling loop: per target, fetch pages from the cursor on, produce, then move the cursor.

The cursor moves only after every page of a round is acknowledged by Kafka; a crash or an
outage in between repeats some items next time, which is harmless (same event ids).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

import httpx

from schemas import Platform
from schemas.registry import ChannelRegistry
from services.ingest.pipeline import normalise_bytes, parse_json
from services.ingest.pollers.adapters import Adapter
from services.ingest.pollers.cursor import CursorStore
from services.ingest.pollers.http import PollError, Retry, get_bytes
from services.ingest.publisher import Publisher
from services.ingest.settings import PollTarget

logger = logging.getLogger(__name__)
MAX_PAGES = 50  # one round never runs away on a platform that keeps handing out pages


@dataclass
class PollResult:
    """What one target's round did."""

    target: PollTarget
    produced: int = 0
    dead_lettered: int = 0
    pages: int = 0
    cursor: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class Poller:
    """Everything a round needs, wired once in main (tests inject the HTTP transport)."""

    adapters: Mapping[Platform, Adapter]
    client: httpx.Client
    store: CursorStore
    registry: ChannelRegistry
    publisher: Publisher
    retry: Retry
    clock: Callable[[], datetime]

    def poll_target(self, target: PollTarget) -> PollResult:
        """One round for one target; PublishError propagates (Kafka down stops the loop)."""
        adapter = self.adapters[target.platform]
        key = f"{target.platform.value}:{target.channel}:{target.target}"
        cursor = self.store.get(key)
        result = PollResult(target=target, cursor=cursor)
        page: str | None = None
        newest = cursor
        while result.pages < MAX_PAGES:
            req = adapter.request(target, cursor, page)
            try:
                raw = get_bytes(
                    self.client, req.url, params=req.params, headers=req.headers, retry=self.retry
                )
            except PollError as err:
                result.error = str(err)
                logger.warning("poll %s: %s (cursor kept)", key, err)
                return result
            result.pages += 1
            outcome = normalise_bytes(
                platform=target.platform,
                raw=raw,
                registry=self.registry,
                source=f"ingest.poll.{target.platform.value}",
                now=self.clock(),
                channel=target.channel,
            )
            if outcome.dead_letter is not None:
                self.publisher.publish_dead_letter(outcome.dead_letter)
                result.dead_lettered += 1
                break
            fresh = [i for i in outcome.items if adapter.is_new(i, cursor)]
            if fresh:
                self.publisher.publish_items(fresh)
                result.produced += len(fresh)
            parsed = parse_json(raw)
            newest = adapter.advance(newest, parsed, outcome.items)
            page = adapter.next_page(parsed)
            if not page or adapter.reached(cursor, outcome.items):
                break
        if newest is not None and newest != cursor:
            self.store.set(key, newest, now=self.clock())
        result.cursor = newest
        return result

    def poll_all(self, targets: list[PollTarget]) -> list[PollResult]:
        """One round over every target."""
        return [self.poll_target(t) for t in targets]
