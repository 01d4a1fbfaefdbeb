"""The SLA timer, pure: deadlines in office time, what falls due, and nothing twice."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest

from schemas.enums import RoutedStatus
from schemas.guidance import Severity
from schemas.registry import ChannelRegistry
from schemas.topics import INBOX_ROUTED, INBOX_WORK
from schemas.work import (
    Reassigned,
    Reopened,
    ReplyPublished,
    ReplySubmitted,
    Resolved,
    WorkEvent,
)
from services.sla.timer import EmitError, SlaTimer
from tests.unit.sla.builders import at, inbox, routed, withdrawn, work

WED_10 = "2026-11-25T10:00:00+00:00"


def make(
    registry: ChannelRegistry, *, count_submitted: bool = True
) -> tuple[SlaTimer, list[WorkEvent]]:
    sent: list[WorkEvent] = []
    return SlaTimer(registry=registry, emit=sent.append, count_submitted=count_submitted), sent


def feed(timer: SlaTimer, *events: object) -> None:
    for e in events:
        spec = INBOX_WORK if isinstance(e, WorkEvent) else INBOX_ROUTED
        timer.apply(spec, e.to_bytes())  # type: ignore[attr-defined]


def summary(events: list[WorkEvent]) -> list[tuple[str, str, str, str]]:
    return [
        (
            e.detail.type,
            str(e.detail.target),  # type: ignore[union-attr]
            e.occurred_at.isoformat(),
            e.detail.due_at.isoformat(),  # type: ignore[union-attr]
        )
        for e in events
    ]


def submitted(item, when: str):  # type: ignore[no-untyped-def]
    detail = ReplySubmitted(reply_id=uuid.uuid4(), text="thanks", verdict=Severity.OK)
    return work(item, detail, when=when)


FR, RES = "first_response", "resolution"


def test_a_press_item_warns_and_breaches_at_office_instants(registry: ChannelRegistry) -> None:
    timer, sent = make(registry)
    item = inbox(created=WED_10)
    feed(timer, routed(item, when=WED_10))
    assert timer.tick(at("2026-11-25T12:59:59+00:00")) == 0
    timer.tick(at("2026-11-25T13:00:00+00:00"))  # 3 of 4 office hours: the warning
    timer.tick(at("2026-11-25T14:00:00+00:00"))
    timer.tick(at("2026-11-27T10:00:00+00:00"))  # resolution: 16 office hours = Fri 10:00
    assert summary(sent) == [
        ("sla_warning", FR, "2026-11-25T13:00:00+00:00", "2026-11-25T14:00:00+00:00"),
        ("sla_breached", FR, "2026-11-25T14:00:00+00:00", "2026-11-25T14:00:00+00:00"),
        ("sla_warning", RES, "2026-11-26T14:00:00+00:00", "2026-11-27T10:00:00+00:00"),
        ("sla_breached", RES, "2026-11-27T10:00:00+00:00", "2026-11-27T10:00:00+00:00"),
    ]
    assert all(e.actor == "sla" and e.queue == "press" for e in sent)
    assert timer.pending == set()


def test_a_late_tick_emits_everything_due_with_its_own_instant(registry: ChannelRegistry) -> None:
    timer, sent = make(registry)
    item = inbox(created=WED_10)
    feed(timer, routed(item, when=WED_10))
    timer.tick(at("2026-11-25T15:00:00+00:00"))
    assert [e.occurred_at for e in sent] == [at("2026-11-25T13:00:00Z"), at("2026-11-25T14:00Z")]
    assert timer.tick(at("2026-11-25T15:00:01+00:00")) == 0


def test_a_held_item_starts_at_its_release(registry: ChannelRegistry) -> None:
    timer, sent = make(registry)
    item = inbox(created="2026-11-21T10:00:00+00:00")  # a Saturday
    held = routed(item, when="2026-11-21T10:00:00+00:00", status=RoutedStatus.HELD,
                  hold_until="2026-11-23T09:00:00+00:00")  # fmt: skip
    feed(timer, held)
    assert timer.tick(at("2026-11-30T00:00:00+00:00")) == 0  # never released: not workable
    released = routed(item, when="2026-11-23T09:00:00+00:00", status=RoutedStatus.RELEASED,
                      hold_until="2026-11-23T09:00:00+00:00")  # fmt: skip
    feed(timer, released)
    timer.tick(at("2026-11-23T13:00:00+00:00"))
    assert summary(sent) == [
        ("sla_warning", FR, "2026-11-23T12:00:00+00:00", "2026-11-23T13:00:00+00:00"),
        ("sla_breached", FR, "2026-11-23T13:00:00+00:00", "2026-11-23T13:00:00+00:00"),
    ]


def test_a_local_lead_has_one_working_day_over_a_bank_holiday(registry: ChannelRegistry) -> None:
    timer, sent = make(registry)
    item = inbox("twitter:hee_kss", created="2026-12-24T16:00:00+00:00")
    feed(timer, routed(item, when="2026-12-24T16:00:00+00:00", queue="local:kent-surrey-sussex"))
    timer.tick(at("2026-12-29T16:00:00+00:00"))
    assert summary(sent) == [
        # 6 of 8 office hours: 1 on Thu 24, none on Fri 25 or the substitute Mon 28, 5 on Tue
        ("sla_warning", FR, "2026-12-29T14:00:00+00:00", "2026-12-29T16:00:00+00:00"),
        ("sla_breached", FR, "2026-12-29T16:00:00+00:00", "2026-12-29T16:00:00+00:00"),
    ]


def simulate(timer: SlaTimer, *, events: list[Any], start: str, end: str, step_s: int = 60) -> None:
    """Tick once a `step_s`, feeding each event once the clock has reached its instant."""
    now, stop = at(start), at(end)
    todo = sorted(events, key=lambda e: e.occurred_at)
    while now <= stop:
        while todo and todo[0].occurred_at <= now:
            feed(timer, todo.pop(0))
        timer.tick(now)
        now += timedelta(seconds=step_s)


@pytest.mark.parametrize(
    ("reply_at", "expected"),
    [
        ("2026-11-25T12:59:00+00:00", []),  # before the warning: nothing
        ("2026-11-25T13:00:00+00:00", []),  # at the warning instant: met in time
        ("2026-11-25T13:30:00+00:00", ["sla_warning"]),
        ("2026-11-25T14:01:00+00:00", ["sla_warning", "sla_breached"]),
    ],
)
def test_a_reply_stops_the_first_response_clock(
    registry: ChannelRegistry, reply_at: str, expected: list[str]
) -> None:
    timer, sent = make(registry)
    item = inbox(created=WED_10)
    feed(timer, routed(item, when=WED_10))
    simulate(timer, events=[submitted(item, reply_at)], start=WED_10, end="2026-11-25T16:00Z")
    assert [e.detail.type for e in sent] == expected


def test_only_a_published_reply_counts_when_submissions_do_not(registry: ChannelRegistry) -> None:
    timer, sent = make(registry, count_submitted=False)
    item = inbox(created=WED_10)
    feed(timer, routed(item, when=WED_10))
    detail = ReplyPublished(reply_id=uuid.uuid4(), platform_reply_id="p1", attempts=1)
    published = work(item, detail, when="2026-11-25T13:30:00+00:00")
    simulate(timer, events=[submitted(item, "2026-11-25T11:00:00+00:00"), published],
             start=WED_10, end="2026-11-25T16:00Z")  # fmt: skip
    assert [e.detail.type for e in sent] == ["sla_warning"]


def test_withdrawn_items_stop_their_clock(registry: ChannelRegistry) -> None:
    timer, sent = make(registry)
    item = inbox(created=WED_10)
    feed(timer, routed(item, when=WED_10))
    simulate(timer, events=[withdrawn(item, when="2026-11-25T13:30:00+00:00")], start=WED_10,
             end="2026-11-30T16:00Z", step_s=1800)  # fmt: skip
    assert [e.detail.type for e in sent] == ["sla_warning"]
    assert timer.pending == set()


def test_resolution_and_reopening(registry: ChannelRegistry) -> None:
    timer, sent = make(registry)
    item = inbox(created=WED_10)
    feed(timer, routed(item, when=WED_10), submitted(item, "2026-11-25T11:00:00+00:00"))
    events = [
        work(item, Resolved(), when="2026-11-25T12:00:00+00:00"),
        work(item, Reopened(reason="more"), when="2026-11-26T12:00:00+00:00"),
    ]
    simulate(timer, events=events, start=WED_10, end="2026-11-27T12:00Z", step_s=600)
    assert summary(sent) == [
        ("sla_warning", RES, "2026-11-26T14:00:00+00:00", "2026-11-27T10:00:00+00:00"),
        ("sla_breached", RES, "2026-11-27T10:00:00+00:00", "2026-11-27T10:00:00+00:00"),
    ]


def test_a_reassigned_item_is_measured_against_its_new_queue(registry: ChannelRegistry) -> None:
    timer, sent = make(registry)
    item = inbox(created=WED_10)
    move = Reassigned(from_queue="press", to_queue="local:wessex", reason="regional")
    feed(timer, routed(item, when=WED_10), work(item, move, when="2026-11-25T10:30:00+00:00"))
    timer.tick(at("2026-11-26T10:00:00+00:00"))
    assert summary(sent) == [
        # local leads: 8 office hours, warned at 6 (Wed 16:00), due Thu 10:00
        ("sla_warning", FR, "2026-11-25T16:00:00+00:00", "2026-11-26T10:00:00+00:00"),
        ("sla_breached", FR, "2026-11-26T10:00:00+00:00", "2026-11-26T10:00:00+00:00"),
    ]
    assert {e.queue for e in sent} == {"local:wessex"}


def test_replaying_emitted_events_emits_nothing_again(registry: ChannelRegistry) -> None:
    timer, sent = make(registry)
    item = inbox(created=WED_10)
    first = routed(item, when=WED_10)
    feed(timer, first)
    timer.tick(at("2026-11-30T00:00:00+00:00"))
    assert len(sent) == 4
    # A restart: a new timer folds the log (the routed event and its own four events).
    again, resent = make(registry)
    feed(again, first, *sent)
    assert again.tick(at("2026-11-30T00:00:00+00:00")) == 0
    assert resent == []
    # Deciding afresh without them yields the very same events (same ids, same bytes).
    fresh, same = make(registry)
    feed(fresh, first)
    fresh.tick(at("2026-11-30T00:00:00+00:00"))
    assert [e.to_bytes() for e in same] == [e.to_bytes() for e in sent]


def test_an_emit_failure_is_retried_on_the_next_tick(registry: ChannelRegistry) -> None:
    calls: list[WorkEvent] = []

    def flaky(event: WorkEvent) -> None:
        if not calls:
            calls.append(event)
            raise EmitError("broker away")
        calls.append(event)

    timer = SlaTimer(registry=registry, emit=flaky, count_submitted=True)
    item = inbox(created=WED_10)
    feed(timer, routed(item, when=WED_10))
    assert timer.tick(at("2026-11-25T13:00:00+00:00")) == 0
    assert timer.tick(at("2026-11-25T13:00:01+00:00")) == 1
    assert calls[0].event_id == calls[1].event_id


def test_a_bad_record_is_skipped_and_counted(registry: ChannelRegistry) -> None:
    timer, _ = make(registry)
    timer.apply(INBOX_ROUTED, b"{not json")
    timer.apply(INBOX_WORK, b'{"event_id": "x"}')
    assert (timer.counters.records, timer.counters.skipped) == (2, 2)
