"""The polling loop: per target, fetch pages from where it got to, produce, then move on.

State moves only after every page of a round is acknowledged by Kafka; a crash or an
outage in between repeats some items next time, which is harmless (same event ids). A
round that hits its page limit saves where it stopped and the next round resumes there
(see pollers/state.py), so a long backlog is read over several rounds, never skipped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

import httpx

from schemas import Platform
from schemas.registry import ChannelRegistry
from services.ingest.health import HealthBook
from services.ingest.pipeline import InboxPublisher, ingest_payload, parse_json
from services.ingest.pollers.adapters import Adapter
from services.ingest.pollers.cursor import CursorStore
from services.ingest.pollers.http import PollError, Retry, fetch
from services.ingest.pollers.state import PollState
from services.ingest.settings import PollTarget

logger = logging.getLogger(__name__)
MAX_PAGES = 50  # one round never runs away on a platform that keeps handing out pages
_STALE_PAGE = frozenset({400, 404, 410})  # how platforms refuse a page token they forgot


@dataclass
class PollResult:
    """What one target's round did."""

    target: PollTarget
    produced: int = 0
    dead_lettered: int = 0
    pages: int = 0
    cursor: str | None = None
    backlog: bool = False  # stopped at the page limit; the next round resumes
    error: str | None = None


@dataclass(frozen=True)
class Poller:
    """Everything a round needs, wired once in main (tests inject the HTTP transport)."""

    adapters: Mapping[Platform, Adapter]
    client: httpx.Client
    store: CursorStore
    registry: ChannelRegistry
    publisher: InboxPublisher
    retry: Retry
    clock: Callable[[], datetime]
    max_pages: int = MAX_PAGES
    health: HealthBook = field(default_factory=HealthBook)

    def poll_target(self, target: PollTarget) -> PollResult:
        """One round for one target; PublishError propagates (Kafka down stops the loop)."""
        adapter = self.adapters[target.platform]
        key = f"{target.platform.value}:{target.channel}:{target.target}"
        known = self.registry.resolve(target.channel, target.platform)
        account = known.id if known is not None else f"{target.platform.value}:{target.channel}"
        state = PollState.decode(self.store.get(key))
        cursor = state.cursor  # the boundary this round (or backlog) reads back to
        result = PollResult(target=target, cursor=cursor)
        page = adapter.resume_page(state)
        newest = state.newest if state.in_backlog else cursor
        finished = False
        while result.pages < self.max_pages:
            req = adapter.request(target, cursor, page)
            try:
                reply = fetch(
                    self.client, req.url, params=req.params, headers=req.headers, retry=self.retry
                )
            except PollError as err:
                result.error = str(err)
                self.health.failure(account, error=str(err), signals=err.signals, now=self.clock())
                if page is not None and err.status in _STALE_PAGE:
                    # A saved page token can expire: read from the top again, back to the
                    # same boundary (repeats are harmless; nothing below it is skipped).
                    restart = PollState(cursor=cursor, offset=None)
                    self.store.set(key, str(restart.encode() or ""), now=self.clock())
                    logger.warning("poll %s: %s (page dropped, next round from the top)", key, err)
                    return result
                logger.warning("poll %s: %s (state kept)", key, err)
                return result
            self.health.signals(account, reply.signals, now=self.clock())
            result.pages += 1
            outcome = ingest_payload(
                platform=target.platform,
                raw=reply.body,
                registry=self.registry,
                publisher=self.publisher,
                source=f"ingest.poll.{target.platform.value}",
                now=self.clock(),
                channel=target.channel,
                keep=lambda i: adapter.is_new(i, cursor),
            )
            if outcome.dead_letter is not None:
                result.dead_lettered += 1
                # Dead-lettered, so not lost: the round ends as if it had reached the cursor.
                finished = True
                page = adapter.resume_offset(page, None)
                break
            result.produced += len(outcome.published)
            parsed = parse_json(reply.body)
            newest = adapter.advance(newest, parsed, outcome.items)
            next_page = adapter.next_page(parsed)
            if not next_page or adapter.reached(cursor, outcome.items):
                finished = True
                page = adapter.resume_offset(page, parsed)
                break
            page = next_page
        after = self._settle(cursor, newest, page, finished=finished)
        if after.encode() != state.encode() and after.encode() is not None:
            self.store.set(key, str(after.encode()), now=self.clock())
        self.health.success(account, now=self.clock())
        result.cursor = after.cursor
        result.backlog = after.in_backlog
        return result

    @staticmethod
    def _settle(
        cursor: str | None, newest: str | None, page: str | None, *, finished: bool
    ) -> PollState:
        if not finished:
            # Page limit hit: keep the boundary, remember where to carry on.
            return PollState(cursor=cursor, page=page, newest=newest)
        # Oldest-first collections (LinkedIn) start the next round near their end.
        return PollState(cursor=newest, offset=page)

    def poll_all(self, targets: list[PollTarget]) -> list[PollResult]:
        """One round over every target."""
        return [self.poll_target(t) for t in targets]
