"""How work events fold into an item's work state: a pure function of the item's events.

Kafka keeps one item's work events in order (they share a key), but an item's events come
from several writers (the API's outbox, the publisher, the SLA timer) and a rebuild reads the
routed and work topics side by side. So the state is defined as the fold of the item's events
in (occurred_at, event_id) order: `replay` sorts, and `step` applies one event. A repeated
event is a no-op; an event that arrives older than the last one folded is handled by the
caller refolding from all of the item's events. Every detail type is total: an event is a
fact, so it never raises (an unclaim of an unclaimed item changes nothing).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from schemas.work import (
    Assigned,
    Claimed,
    Escalated,
    ModerationApplied,
    ModerationFailed,
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
    SlaWarning,
    Tagged,
    Unclaimed,
    WorkEvent,
)


@dataclass(frozen=True)
class ReplyState:
    """One reply and where it stands."""

    reply_id: uuid.UUID
    author: str
    author_kind: str
    text: str
    status: str  # pending_approval, approved, rejected, queued, sent, failed
    verdict: str
    findings: tuple[dict[str, Any], ...]
    acknowledged: tuple[str, ...]
    submitted_at: datetime
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_note: str | None = None
    platform_reply_id: str | None = None
    permalink: str | None = None
    attempts: int = 0
    failure: str | None = None
    error: str | None = None
    retryable: bool | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class WorkFacts:
    """What an item's work events say. `queue` is set only by a reassignment."""

    queue: str | None = None
    claimed_by: str | None = None
    claimed_at: datetime | None = None
    resolved_at: datetime | None = None
    resolved_by: str | None = None
    escalated: bool = False
    escalation_note: str | None = None
    assignee: str | None = None
    tags: tuple[str, ...] = ()
    replies: tuple[ReplyState, ...] = ()
    moderation: tuple[tuple[str, dict[str, Any]], ...] = ()
    sla: tuple[tuple[str, dict[str, Any]], ...] = ()
    last_key: str | None = None
    seen: frozenset[uuid.UUID] = field(default_factory=frozenset)


def sort_key(event: WorkEvent) -> str:
    """The fold order: occurred_at (fixed-width UTC ISO), then event id. Compares as text."""
    return f"{event.occurred_at.strftime('%Y-%m-%dT%H:%M:%S.%f')}|{event.event_id}"


def occurred_after(last_key: str | None, now: datetime) -> datetime:
    """When a command's event happened: `now`, or just after the last event folded in.

    A command is decided against the state it saw, so its event must sort after every event
    in that state, even when clocks tie (a fixed test clock) or step back (another host).
    """
    if last_key is None:
        return now
    last = datetime.strptime(last_key.split("|", 1)[0], "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=UTC)
    return max(now, last + timedelta(microseconds=1))


def _reply(facts: WorkFacts, reply_id: uuid.UUID, **changes: Any) -> WorkFacts:
    replies = tuple(replace(r, **changes) if r.reply_id == reply_id else r for r in facts.replies)
    return replace(facts, replies=replies)


def _keyed(pairs: tuple[tuple[str, dict[str, Any]], ...], key: str, value: dict[str, Any]) -> Any:
    merged = dict(pairs)
    merged[key] = {**merged.get(key, {}), **value}
    return tuple(sorted(merged.items()))


def _submitted(facts: WorkFacts, event: WorkEvent, d: ReplySubmitted) -> WorkFacts:
    if any(r.reply_id == d.reply_id for r in facts.replies):
        return facts
    reply = ReplyState(
        reply_id=d.reply_id,
        author=event.actor,
        author_kind=event.actor_kind.value,
        text=d.text,
        status="pending_approval" if d.needs_approval else "queued",
        verdict=d.verdict.value,
        findings=tuple(f.model_dump(mode="json") for f in d.findings),
        acknowledged=tuple(d.acknowledged),
        submitted_at=event.occurred_at,
        updated_at=event.occurred_at,
    )
    return replace(facts, replies=(*facts.replies, reply))


def _reply_step(facts: WorkFacts, event: WorkEvent) -> WorkFacts:
    d, at = event.detail, event.occurred_at
    if isinstance(d, ReplySubmitted):
        return _submitted(facts, event, d)
    decided = {"decided_by": event.actor, "decided_at": at, "updated_at": at}
    if isinstance(d, ReplyApproved):
        return _reply(facts, d.reply_id, status="queued", decision_note=d.note, **decided)
    if isinstance(d, ReplyRejected):
        return _reply(facts, d.reply_id, status="rejected", decision_note=d.reason, **decided)
    if isinstance(d, ReplyPublished):
        return _reply(
            facts,
            d.reply_id,
            status="sent",
            platform_reply_id=d.platform_reply_id,
            permalink=d.permalink,
            attempts=d.attempts,
            failure=None,
            error=None,
            retryable=None,
            updated_at=at,
        )
    if isinstance(d, ReplyFailed):
        return _reply(
            facts,
            d.reply_id,
            status="failed",
            failure=d.failure.value,
            error=d.error,
            retryable=d.retryable,
            attempts=d.attempts,
            updated_at=at,
        )
    if isinstance(d, ReplyRetried):
        return _reply(facts, d.reply_id, status="queued", retryable=None, updated_at=at)
    return facts


def _moderation_step(facts: WorkFacts, event: WorkEvent) -> WorkFacts:
    d, at = event.detail, event.occurred_at.isoformat()
    if isinstance(d, ModerationRequested):
        entry = {
            "operation": d.operation.value,
            "status": "requested",
            "reason": d.reason,
            "requested_by": event.actor,
            "requested_at": at,
        }
    elif isinstance(d, ModerationApplied):
        entry = {"operation": d.operation.value, "status": "applied", "applied_at": at}
    elif isinstance(d, ModerationFailed):
        entry = {
            "operation": d.operation.value,
            "status": "failed",
            "failure": d.failure.value,
            "error": d.error,
        }
    else:
        return facts
    return replace(facts, moderation=_keyed(facts.moderation, str(d.moderation_id), entry))


def step(facts: WorkFacts, event: WorkEvent) -> WorkFacts:  # noqa: C901
    """The work state after `event`. A repeated event changes nothing."""
    if event.event_id in facts.seen:
        return facts
    key = sort_key(event)
    last = key if facts.last_key is None else max(key, facts.last_key)
    facts = replace(facts, seen=facts.seen | {event.event_id}, last_key=last)
    d, actor, at = event.detail, event.actor, event.occurred_at
    if isinstance(d, Claimed):
        return replace(facts, claimed_by=actor, claimed_at=at)
    if isinstance(d, Unclaimed):
        return replace(facts, claimed_by=None, claimed_at=None)
    if isinstance(d, Assigned):
        return replace(facts, assignee=d.assignee)
    if isinstance(d, Resolved):
        return replace(facts, resolved_at=at, resolved_by=actor)
    if isinstance(d, Reopened):
        return replace(facts, resolved_at=None, resolved_by=None)
    if isinstance(d, Reassigned):
        return replace(facts, queue=d.to_queue, claimed_by=None, claimed_at=None)
    if isinstance(d, Escalated):
        return replace(facts, escalated=True, escalation_note=d.note)
    if isinstance(d, Tagged):
        tags = (set(facts.tags) | set(d.added)) - set(d.removed)
        return replace(facts, tags=tuple(sorted(tags)))
    if isinstance(d, SlaWarning | SlaBreached):
        state = "warning" if isinstance(d, SlaWarning) else "breached"
        current = dict(facts.sla).get(d.target.value, {})
        if current.get("state") == "breached":
            state = "breached"  # a breach is never downgraded by a late warning
        value = {"state": state, "due_at": d.due_at.isoformat()}
        return replace(facts, sla=_keyed(facts.sla, d.target.value, value))
    if isinstance(d, NoteAdded):
        return facts  # notes live in the history only
    moderated = _moderation_step(facts, event)
    if moderated is not facts:
        return moderated
    return _reply_step(facts, event)


def replay(events: Iterable[WorkEvent], *, start: WorkFacts | None = None) -> WorkFacts:
    """Fold events in (occurred_at, event_id) order: any delivery order gives one state."""
    facts = start or WorkFacts()
    for event in sorted(events, key=sort_key):
        facts = step(facts, event)
    return facts


def is_late(facts: WorkFacts, event: WorkEvent) -> bool:
    """Whether `event` sorts before the last one folded (the item must then be refolded)."""
    return facts.last_key is not None and sort_key(event) < facts.last_key


def hidden(facts: WorkFacts) -> bool | None:
    """Whether the last applied hide/unhide left the comment hidden (None: never moderated)."""
    applied = [
        v for _k, v in facts.moderation if v.get("status") == "applied" and "applied_at" in v
    ]
    ops = sorted(applied, key=lambda v: str(v["applied_at"]))
    for entry in reversed(ops):
        if entry["operation"] in (ModerationOp.HIDE.value, ModerationOp.UNHIDE.value):
            return bool(entry["operation"] == ModerationOp.HIDE.value)
    return None
