"""The monthly report's figures, computed from event lists alone (pure).

Every figure is defined in docs/reports.md. The inputs are the routed, work, campaign and
dead-letter events as read from their topics, in any order: the builder sorts what it
needs, so the same log always gives the same figures.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from schemas.events import Campaign, DeadLetter, RoutedItem
from schemas.registry import ChannelRegistry
from schemas.work import (
    ReplyApproved,
    ReplyFailed,
    ReplyPublished,
    ReplyRejected,
    ReplySubmitted,
    SlaTarget,
    WorkEvent,
)
from services.report.domain.month import Month
from services.report.domain.stats import median, p90, percent
from services.router.domain.calendar import OfficeCalendar
from services.router.domain.office_time import office_time_between
from services.sla.domain.book import ItemClock, SlaBook
from services.sla.domain.timer import target_hours

Figures = dict[str, Any]


@dataclass(frozen=True)
class Scope:
    """Which items a report covers: all, one queue, or one channel."""

    kind: Literal["all", "queue", "channel"] = "all"
    value: str | None = None

    @property
    def slug(self) -> str:
        """A file-system name: all, queue-press, channel-twitter_hee_kss."""
        if self.kind == "all" or self.value is None:
            return "all"
        return f"{self.kind}-{self.value.replace(':', '_')}"

    def covers(self, *, queue: str, channel_id: str) -> bool:
        """Whether an item in `queue` on `channel_id` is in scope."""
        if self.kind == "queue":
            return queue == self.value
        if self.kind == "channel":
            return channel_id == self.value
        return True


@dataclass(frozen=True)
class ReportInput:
    """The events a report is built from."""

    routed: Sequence[RoutedItem]
    work: Sequence[WorkEvent]
    campaigns: Sequence[Campaign]
    dead_letters: Sequence[DeadLetter]


@dataclass(frozen=True)
class Measure:
    """One item against one target: office hours taken (None: not yet) and the target."""

    hours: float | None
    target: float
    out_of_hours: bool


def _order(events: Iterable[Any]) -> list[Any]:
    return sorted(events, key=lambda e: (e.occurred_at, str(e.event_id)))


def _count(values: Iterable[str]) -> dict[str, int]:
    return dict(sorted(Counter(values).items()))


class ReportBuilder:
    """Folds the inputs once, then computes each section."""

    def __init__(
        self,
        *,
        month: Month,
        scope: Scope,
        data: ReportInput,
        registry: ChannelRegistry,
        calendars: dict[str, OfficeCalendar],
        count_submitted: bool = True,
    ) -> None:
        self.month, self.scope, self.data = month, scope, data
        self.registry, self.calendars = registry, calendars
        self.count_submitted = count_submitted
        book = SlaBook()
        for routed in _order(data.routed):
            book.apply_routed(routed)
        for event in _order(data.work):
            book.apply_work(event)
        self.items: list[ItemClock] = sorted(
            (
                c
                for c in book.items.values()
                if c.received_at is not None
                and month.contains(c.received_at)
                and scope.covers(queue=c.queue, channel_id=c.channel_id)
            ),
            key=lambda c: (c.received_at, str(c.item_event_id)),
        )

    def _calendar(self, queue: str) -> OfficeCalendar:
        name, _ = self.registry.calendar_for_queue(queue)
        return self.calendars[name]

    def measure(self, clock: ItemClock, target: SlaTarget) -> Measure | None:
        """Office hours from workable to met; None when withdrawn before it was met.

        An item met before it became workable (answered in the out-of-hours period it
        arrived in, before its release) took 0 office hours: no office time passed.
        """
        sla = self.registry.sla_for_queue(clock.queue)
        met = clock.met_at(target, count_submitted=self.count_submitted)
        if clock.withdrawn_at is not None and (met is None or clock.withdrawn_at < met):
            return None
        start = clock.workable_at or clock.received_at
        goal = target_hours(sla, target)
        if met is None or start is None:
            return Measure(hours=None, target=goal, out_of_hours=False)
        taken = office_time_between(self._calendar(clock.queue), start, met)
        early = met < start
        hours = 0.0 if early else taken.total_seconds() / 3600
        return Measure(hours=hours, target=goal, out_of_hours=early)

    def response_stats(self, clocks: Iterable[ItemClock], target: SlaTarget) -> Figures:
        """items, answered, unanswered, median/p90 office hours and within-target share."""
        measures = [m for c in clocks if (m := self.measure(c, target)) is not None]
        done = [m for m in measures if m.hours is not None]
        hours = [m.hours for m in done if m.hours is not None]
        within = sum(1 for m in done if m.hours is not None and m.hours <= m.target)
        targets = sorted({m.target for m in measures})
        return {
            "items": len(measures),
            "met": len(done),
            "not_met": len(measures) - len(done),
            "median_hours": median(hours),
            "p90_hours": p90(hours),
            "within_target": within,
            "within_target_percent": percent(within, len(measures)),
            "target_hours": targets[0] if len(targets) == 1 else None,
            "met_out_of_hours": sum(1 for m in done if m.out_of_hours),
        }

    def _grouped(self, key: str, target: SlaTarget) -> Figures:
        groups: dict[str, list[ItemClock]] = {}
        for clock in self.items:
            groups.setdefault(getattr(clock, key), []).append(clock)
        return {name: self.response_stats(groups[name], target) for name in sorted(groups)}

    def volume(self) -> Figures:
        """Items received in the month, by platform, channel, queue, kind and day."""
        by_day = {d.isoformat(): 0 for d in self.month.days()}
        for c in self.items:
            by_day[self._day(c.received_at).isoformat()] += 1
        return {
            "total": len(self.items),
            "by_platform": _count(str(c.platform) for c in self.items),
            "by_channel": _count(c.channel_id for c in self.items),
            "by_queue": _count(c.queue for c in self.items),
            "by_kind": _count(str(c.kind) for c in self.items),
            "by_day": by_day,
        }

    def _day(self, at: datetime | None) -> date:
        assert at is not None
        return at.astimezone(self.month.zone).date()

    def held(self) -> Figures:
        """Items held out of hours, and how long they waited for their release (hours)."""
        held = [c for c in self.items if c.held]
        waits = [
            (c.released_at - c.received_at).total_seconds() / 3600
            for c in held
            if c.released_at is not None and c.received_at is not None
        ]
        return {
            "count": len(held),
            "share_percent": percent(len(held), len(self.items)),
            "released": len(waits),
            "wait_median_hours": median(waits),
            "wait_p90_hours": p90(waits),
            "wait_max_hours": round(max(waits), 2) if waits else None,
            "by_queue": _count(c.queue for c in held),
        }

    def responses(self) -> Figures:
        """First-response and resolution times, overall, per queue and per channel."""
        return {
            target.value: {
                "all": self.response_stats(self.items, target),
                "by_queue": self._grouped("queue", target),
                "by_channel": self._grouped("channel_id", target),
            }
            for target in SlaTarget
        }

    def _work_in_month(self) -> list[WorkEvent]:
        return [
            e
            for e in _order(self.data.work)
            if self.month.contains(e.occurred_at)
            and self.scope.covers(queue=e.queue, channel_id=e.channel_id)
        ]

    def replies(self) -> Figures:
        """Replies written, sent, failed, and approvals, by the time each event happened."""
        counts: Counter[str] = Counter()
        for e in self._work_in_month():
            d = e.detail
            if isinstance(d, ReplySubmitted):
                counts["submitted"] += 1
                counts["approval_requested"] += d.needs_approval
            elif isinstance(d, ReplyPublished):
                counts["published"] += 1
            elif isinstance(d, ReplyFailed):
                counts["failed"] += 1
            elif isinstance(d, ReplyApproved):
                counts["approved"] += 1
            elif isinstance(d, ReplyRejected):
                counts["rejected"] += 1
        names = ("submitted", "published", "failed", "approval_requested", "approved", "rejected")
        return {name: counts[name] for name in names}

    def guidance(self) -> Figures:
        """Guidance findings on submitted replies, by check and severity."""
        by_check: dict[str, Counter[str]] = {}
        for e in self._work_in_month():
            if isinstance(e.detail, ReplySubmitted):
                for f in e.detail.findings:
                    by_check.setdefault(f.check, Counter())[str(f.severity)] += 1
        return {
            check: {"findings": sum(sev.values()), "by_severity": dict(sorted(sev.items()))}
            for check, sev in sorted(by_check.items())
        }

    def dead_letters(self) -> Figures | None:
        """Inputs rejected in the month; None for a queue or channel report (not attributed)."""
        if self.scope.kind != "all":
            return None
        letters = [d for d in self.data.dead_letters if self.month.contains(d.occurred_at)]
        return {
            "total": len(letters),
            "by_source": _count(d.source for d in letters),
            "by_error_type": _count(d.error_type for d in letters),
        }

    def active_campaigns(self) -> list[Campaign]:
        """The latest version of each campaign, if it is live and overlaps the month."""
        latest: dict[str, Campaign] = {}
        for c in _order(self.data.campaigns):
            latest[c.campaign_id] = c
        first, last = self.month.first_day, self.month.last_day
        return [
            c
            for _, c in sorted(latest.items())
            if c.active and c.start_date <= last and (c.end_date is None or c.end_date >= first)
        ]

    def campaign(self, campaign: Campaign) -> Figures:
        """One campaign: its hashtag's items in the month, by day and channel, and responses.

        Items match by hashtag (any case) and UK creation date in the campaign's dates, so
        items that arrived before the campaign was registered count too.
        """
        tag = campaign.hashtag.lower()
        end = campaign.end_date or self.month.last_day
        clocks = [
            c
            for c in self.items
            if tag in {h.lower() for h in c.hashtags} or tag in c.campaigns
            if campaign.start_date <= self._day(c.received_at) <= end
        ]
        days = [d for d in self.month.days() if campaign.start_date <= d <= end]
        by_day = {d.isoformat(): 0 for d in days}
        for c in clocks:
            by_day[self._day(c.received_at).isoformat()] += 1
        return {
            "campaign_id": campaign.campaign_id,
            "name": campaign.name,
            "hashtag": campaign.hashtag,
            "owner_queue": campaign.owner_queue,
            "start_date": campaign.start_date.isoformat(),
            "end_date": campaign.end_date.isoformat() if campaign.end_date else None,
            "items": len(clocks),
            "by_day": by_day,
            "by_channel": _count(c.channel_id for c in clocks),
            "first_response": self.response_stats(clocks, SlaTarget.FIRST_RESPONSE),
        }

    def build(self) -> Figures:
        """Every figure, in a fixed order."""
        return {
            "month": self.month.label,
            "timezone": str(self.month.zone),
            "scope": {"kind": self.scope.kind, "value": self.scope.value},
            "volume": self.volume(),
            "held": self.held(),
            "response": self.responses(),
            "replies": self.replies(),
            "guidance": self.guidance(),
            "dead_letters": self.dead_letters(),
            "campaigns": [self.campaign(c) for c in self.active_campaigns()],
        }


def build_figures(
    *,
    month: Month,
    scope: Scope,
    data: ReportInput,
    registry: ChannelRegistry,
    calendars: dict[str, OfficeCalendar],
    count_submitted: bool = True,
) -> Figures:
    """The report's figures for `month` and `scope` from the events in `data`."""
    return ReportBuilder(
        month=month,
        scope=scope,
        data=data,
        registry=registry,
        calendars=calendars,
        count_submitted=count_submitted,
    ).build()
