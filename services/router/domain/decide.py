"""The routing decision: which queue works an item, and whether it waits for office hours."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from schemas.enums import RoutedStatus
from schemas.events import Campaign, InboxItem
from schemas.registry import ChannelRegistry
from services.router.domain.calendar import OfficeCalendar, format_instant, require_aware
from services.router.domain.campaigns import match_campaigns

TRIAGE = "triage"


class UnknownCalendarError(KeyError):
    """A queue names a calendar that was not passed to decide()."""


@dataclass(frozen=True)
class Decision:
    """Where an item goes and when it can be worked, with the reason for people."""

    queue: str
    status: RoutedStatus
    hold_until: datetime | None
    rule: str
    reason: str
    calendar: str
    campaigns: tuple[str, ...] = field(default=())

    def as_json(self) -> dict[str, object]:
        """The stable JSON shape `switchboard router decide` prints."""
        return {
            "queue": self.queue,
            "status": self.status.value,
            "hold_until": self.hold_until.isoformat() if self.hold_until else None,
            "campaigns": list(self.campaigns),
            "rule": self.rule,
            "reason": self.reason,
        }


def _owner(item: InboxItem, registry: ChannelRegistry) -> tuple[str, str, str]:
    """Queue, rule id and rule text for the item's channel; unknown channels go to triage."""
    channel = registry.get(item.channel_id) if item.channel_known else None
    if channel is not None:
        return channel.queue, channel.rule, channel.rule_text
    if item.channel_known:
        why = f"channel {item.channel_id} is not in this router's channel registry"
        return TRIAGE, "unknown-channel:not-in-registry", f"{why}, so triage works it"
    why = (
        f"account {item.addressed_account!r} on {item.platform.value} is not in the channel "
        "registry"
    )
    return TRIAGE, f"unknown-channel:{item.platform.value}", f"{why}, so triage works it"


def decide(
    item: InboxItem,
    *,
    registry: ChannelRegistry,
    campaigns: Iterable[Campaign],
    calendars: Mapping[str, OfficeCalendar],
    now: datetime,
) -> Decision:
    """Route `item` at instant `now`: queue, queued or held (until the next opening), why.

    `calendars` maps calendar names (as in the registry) to calendars, e.g. the result of
    `build_calendars(registry)`. Pure: no clock, no I/O.
    """
    require_aware(now)
    queue, rule, rule_text = _owner(item, registry)
    calendar_name, _ = registry.calendar_for_queue(queue)
    calendar = calendars.get(calendar_name)
    if calendar is None:
        raise UnknownCalendarError(f"queue {queue!r} needs calendar {calendar_name!r}")
    verdict = calendar.verdict(now)
    matched = tuple(match_campaigns(item, campaigns))
    if verdict.open:
        reason = f"{rule_text}; {verdict.detail} - queued"
        status, hold_until = RoutedStatus.QUEUED, None
    else:
        hold_until = calendar.next_opening(now)
        reason = f"{rule_text}; {verdict.detail} - held until {format_instant(hold_until)}"
        status = RoutedStatus.HELD
    return Decision(
        queue=queue,
        status=status,
        hold_until=hold_until,
        rule=rule,
        reason=reason,
        calendar=calendar_name,
        campaigns=matched,
    )
