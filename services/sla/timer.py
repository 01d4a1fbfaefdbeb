"""The SLA timer: folds the log into the book and emits what falls due, on a plain timer."""

from __future__ import annotations

import heapq
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from schemas.events import RoutedItem
from schemas.registry import ChannelRegistry
from schemas.topics import INBOX_ROUTED, INBOX_WORK, TopicSpec
from schemas.validation import SchemaValidationError, validate
from schemas.work import WorkEvent
from services.router.domain.calendar import OfficeCalendar, build_calendars
from services.sla.domain.book import ItemClock, SlaBook
from services.sla.domain.timer import Deadline, deadlines, due_events, next_instant, settled

logger = logging.getLogger(__name__)

Emit = Callable[[WorkEvent], None]


class EmitError(RuntimeError):
    """The broker did not take an event; the timer tries again on its next tick."""


@dataclass
class SlaCounters:
    """What /metrics shows."""

    records: int = 0
    skipped: int = 0
    warnings: int = 0
    breaches: int = 0
    by_queue: dict[tuple[str, str, str], int] = field(default_factory=dict)


class SlaTimer:
    """The book of clocks, the set still pending, and the decision to emit."""

    def __init__(self, *, registry: ChannelRegistry, emit: Emit, count_submitted: bool) -> None:
        self.book = SlaBook()
        self.registry = registry
        self.calendars: dict[str, OfficeCalendar] = build_calendars(registry)
        self.emit = emit
        self.count_submitted = count_submitted
        self.pending: set[uuid.UUID] = set()
        self.counters = SlaCounters()
        # Deadlines per item, kept while its queue and start stay the same.
        self._plans: dict[uuid.UUID, tuple[tuple[str, datetime], list[Deadline]]] = {}
        # Each pending item's next instant, and a heap of them (with stale entries).
        self._next: dict[uuid.UUID, datetime] = {}
        self._heap: list[tuple[datetime, str, uuid.UUID]] = []

    def apply(self, spec: TopicSpec, value: bytes) -> None:
        """Fold one record; a record that does not validate is logged, counted and skipped."""
        self.counters.records += 1
        try:
            if spec is INBOX_ROUTED:
                clock = self.book.apply_routed(validate(value, RoutedItem))
            elif spec is INBOX_WORK:
                clock = self.book.apply_work(validate(value, WorkEvent))
            else:
                return
        except SchemaValidationError as err:
            self.counters.skipped += 1
            logger.warning("skipping a record of %s: %s", spec.name, err)
            return
        if clock is not None:
            self._track(clock)

    def _track(self, clock: ItemClock) -> None:
        item_id = clock.item_event_id
        if clock.workable_at is None or settled(clock, count_submitted=self.count_submitted):
            self.pending.discard(item_id)
            self._plans.pop(item_id, None)
            self._next.pop(item_id, None)
            return
        self.pending.add(item_id)
        at = next_instant(clock, plan=self.plan(clock), count_submitted=self.count_submitted)
        if at is None:
            self._next.pop(item_id, None)
        elif self._next.get(item_id) != at:
            # Earlier entries for the item stay in the heap and are skipped as stale.
            self._next[item_id] = at
            heapq.heappush(self._heap, (at, str(item_id), item_id))

    def tick(self, now: datetime) -> int:
        """Emit every warning and breach due at `now`, earliest first; returns how many.

        Only items whose next instant has come are looked at (a heap of next instants), so a
        tick with nothing due costs nothing however many items are pending.
        """
        sent = 0
        while self._heap and self._heap[0][0] <= now:
            at, _, item_id = heapq.heappop(self._heap)
            if self._next.get(item_id) != at:
                continue
            del self._next[item_id]
            clock = self.book.items[item_id]
            events = due_events(
                clock, plan=self.plan(clock), now=now, count_submitted=self.count_submitted
            )
            for event in events:
                try:
                    self.emit(event)
                except EmitError as err:
                    logger.warning("sla: could not emit, retrying next tick: %s", err)
                    self._track(clock)
                    return sent
                self.book.apply_work(event)
                self._count(event)
                sent += 1
            self._track(clock)
        return sent

    def plan(self, clock: ItemClock) -> list[Deadline]:
        """The item's deadlines on its current queue's targets and calendar (memoised)."""
        start = clock.workable_at
        if start is None:
            return []
        key = (clock.queue, start)
        known = self._plans.get(clock.item_event_id)
        if known is not None and known[0] == key:
            return known[1]
        name, _ = self.registry.calendar_for_queue(clock.queue)
        plan = deadlines(
            clock, sla=self.registry.sla_for_queue(clock.queue), calendar=self.calendars[name]
        )
        self._plans[clock.item_event_id] = (key, plan)
        return plan

    def _count(self, event: WorkEvent) -> None:
        breach = event.detail.type == "sla_breached"
        if breach:
            self.counters.breaches += 1
        else:
            self.counters.warnings += 1
        target = str(getattr(event.detail, "target", ""))
        key = (event.queue, target, event.detail.type)
        self.counters.by_queue[key] = self.counters.by_queue.get(key, 0) + 1
        logger.info(
            "%s %s for item %s (queue %s, due %s)",
            event.detail.type,
            target,
            event.item_event_id,
            event.queue,
            getattr(event.detail, "due_at", None),
        )
