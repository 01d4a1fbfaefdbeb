"""The work fold as a pure function: any order of the same events gives one state."""

from __future__ import annotations

import random
import uuid
from datetime import timedelta

from schemas.guidance import Severity
from schemas.work import (
    ActorKind,
    Assigned,
    Claimed,
    Escalated,
    FailureClass,
    ModerationApplied,
    ModerationOp,
    ModerationRequested,
    NoteAdded,
    Reassigned,
    Reopened,
    ReplyApproved,
    ReplyFailed,
    ReplyPublished,
    ReplyRejected,
    ReplyRetried,
    ReplySubmitted,
    Resolved,
    SlaBreached,
    SlaTarget,
    SlaWarning,
    Tagged,
    Unclaimed,
    WorkDetail,
    WorkEvent,
)
from services.api.domain.work import WorkFacts, hidden, is_late, occurred_after, replay, step
from tests.fixtures.api.events import T0

ITEM = uuid.uuid4()


def _ev(
    n: int, detail: WorkDetail, *, actor: str = "press", kind: ActorKind = ActorKind.TOKEN
) -> WorkEvent:
    return WorkEvent.create(
        item_event_id=ITEM,
        channel_id="twitter:nhs_healthedeng",
        queue="press",
        actor_kind=kind,
        actor=actor,
        command_id=uuid.uuid5(ITEM, str(n)),
        detail=detail,
        occurred_at=T0 + timedelta(seconds=n),
    )


def test_claim_unclaim_resolve_reopen_in_order() -> None:
    events = [_ev(1, Claimed()), _ev(2, Unclaimed(previous_holder="press")), _ev(3, Claimed())]
    facts = replay(events)
    assert facts.claimed_by == "press" and facts.claimed_at == T0 + timedelta(seconds=3)
    facts = replay([*events, _ev(4, Resolved(note="done"))])
    assert facts.resolved_by == "press"
    facts = replay([*events, _ev(4, Resolved()), _ev(5, Reopened(reason="again"))])
    assert facts.resolved_at is None


def test_every_order_and_repeats_give_the_same_state() -> None:
    reply = uuid.uuid4()
    events = [
        _ev(1, Claimed()),
        _ev(2, Reassigned(from_queue="press", to_queue="digital", reason="video")),
        _ev(3, Tagged(added=["nhs", "jobs"])),
        _ev(4, Tagged(added=["x"], removed=["jobs"])),
        _ev(5, ReplySubmitted(reply_id=reply, text="hi", verdict=Severity.OK)),
        _ev(6, ReplyFailed(reply_id=reply, failure=FailureClass.UNAVAILABLE, error="503",
                           retryable=True, attempts=3), actor="publisher", kind=ActorKind.SERVICE),
        _ev(7, ReplyRetried(reply_id=reply, attempt=2)),
        _ev(8, ReplyPublished(reply_id=reply, platform_reply_id="p1", attempts=1),
            actor="publisher", kind=ActorKind.SERVICE),
        _ev(9, Assigned(assignee="alice@example.org")),
        _ev(10, Escalated(note="PALS")),
    ]  # fmt: skip
    expected = replay(events)
    assert expected.queue == "digital" and expected.claimed_by is None
    assert expected.tags == ("nhs", "x")
    assert expected.replies[0].status == "sent" and expected.replies[0].platform_reply_id == "p1"
    assert expected.assignee == "alice@example.org" and expected.escalated
    rng = random.Random(12)
    for _ in range(300):
        order = rng.sample(events, len(events))
        assert replay([*order, *order[:3]]) == expected


def test_step_is_idempotent_and_late_events_are_detected() -> None:
    first, second = _ev(1, Claimed()), _ev(2, Unclaimed())
    facts = step(step(WorkFacts(), second), second)
    assert is_late(facts, first) and not is_late(facts, _ev(3, Claimed()))
    assert step(facts, second) == facts


def test_approval_flow_and_rejection() -> None:
    held, other = uuid.uuid4(), uuid.uuid4()
    facts = replay(
        [
            _ev(1, ReplySubmitted(reply_id=held, text="a", verdict=Severity.APPROVAL,
                                  needs_approval=True)),
            _ev(2, ReplySubmitted(reply_id=other, text="b", verdict=Severity.APPROVAL,
                                  needs_approval=True)),
        ]
    )  # fmt: skip
    assert [r.status for r in facts.replies] == ["pending_approval", "pending_approval"]
    facts = step(facts, _ev(3, ReplyApproved(reply_id=held), actor="lead"))
    facts = step(facts, _ev(4, ReplyRejected(reply_id=other, reason="tone"), actor="lead"))
    by_id = {r.reply_id: r for r in facts.replies}
    assert (by_id[held].status, by_id[held].decided_by) == ("queued", "lead")
    assert (by_id[other].status, by_id[other].decision_note) == ("rejected", "tone")


def test_moderation_sla_and_notes() -> None:
    mid = uuid.uuid4()
    due = T0 + timedelta(hours=4)
    facts = replay(
        [
            _ev(1, ModerationRequested(moderation_id=mid, operation=ModerationOp.HIDE,
                                       platform_item_id="c1", reason="abuse")),
            _ev(2, ModerationApplied(moderation_id=mid, operation=ModerationOp.HIDE),
                actor="publisher", kind=ActorKind.SERVICE),
            _ev(3, SlaBreached(target=SlaTarget.FIRST_RESPONSE, due_at=due), actor="sla",
                kind=ActorKind.SERVICE),
            _ev(4, SlaWarning(target=SlaTarget.FIRST_RESPONSE, due_at=due), actor="sla",
                kind=ActorKind.SERVICE),
            _ev(5, NoteAdded(note="called")),
        ]
    )  # fmt: skip
    assert dict(facts.moderation)[str(mid)]["status"] == "applied" and hidden(facts) is True
    assert dict(facts.sla)["first_response"]["state"] == "breached"  # never downgraded


def test_a_command_sorts_after_what_it_saw() -> None:
    facts = step(WorkFacts(), _ev(5, Claimed()))
    at = occurred_after(facts.last_key, T0)  # the clock says earlier than the last event
    assert at == T0 + timedelta(seconds=5, microseconds=1)
    assert occurred_after(None, T0) == T0
