"""Apply work events to the database: the one write path of the API and the projector.

The API folds the event it makes into the database in the command's own transaction (and puts
it in the outbox); the projector later reads it back from inbox.work.v1, finds its id in
`audit_event` and skips it. Rebuild folds the same events through this same function, which is
why a rebuilt database equals the live one. Nothing here commits: the caller owns the
transaction.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Row
from sqlmodel import Session, col, select

from schemas.enums import RoutedStatus
from schemas.topics import INBOX_WORK
from schemas.work import WorkEvent
from services.api.domain.work import ReplyState, WorkFacts, hidden, is_late, replay, step
from services.api.domain.workflow import work_status
from services.api.models import AuditEvent, Item, ItemEvent, ReplyRow


def seen(session: Session, event_id: uuid.UUID) -> bool:
    """Whether an event (work or admin) is already folded in."""
    query = select(AuditEvent.id).where(AuditEvent.event_id == event_id)
    return session.exec(query).first() is not None


def _replies(session: Session, item_id: int) -> list[ReplyRow]:
    return list(session.exec(select(ReplyRow).where(ReplyRow.item_id == item_id)))


def _reply_state(row: ReplyRow) -> ReplyState:
    return ReplyState(
        reply_id=row.reply_id,
        author=row.author,
        author_kind=row.author_kind,
        text=row.text,
        status=row.status,
        verdict=row.verdict,
        findings=tuple(row.findings),
        acknowledged=tuple(row.acknowledged),
        submitted_at=row.submitted_at,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        decision_note=row.decision_note,
        platform_reply_id=row.platform_reply_id,
        permalink=row.permalink,
        attempts=row.attempts,
        failure=row.failure,
        error=row.error,
        retryable=row.retryable,
        updated_at=row.updated_at,
    )


# The columns of an item the work fold reads: an ORM `Item`, or a Core row of WORK_READ.
WorkRow = Item | Row[Any]


# What a bulk fold selects instead of whole rows (the payload is the costly column to load).
WORK_READ = tuple(getattr(Item, name) for name in (
    "id", "event_id", "queue", "routed_queue", "status", "routing_status", "claimed_by",
    "claimed_at", "resolved_at", "resolved_by", "escalated", "escalation_note", "assignee",
    "tags", "moderation", "sla", "work_key",
))  # fmt: skip


def facts_from(row: WorkRow, replies: tuple[ReplyState, ...] = ()) -> WorkFacts:
    """The work facts an item row holds now, with its replies as given."""
    return WorkFacts(
        queue=row.queue if row.queue != row.routed_queue else None,
        claimed_by=row.claimed_by,
        claimed_at=row.claimed_at,
        resolved_at=row.resolved_at,
        resolved_by=row.resolved_by,
        escalated=row.escalated,
        escalation_note=row.escalation_note,
        assignee=row.assignee,
        tags=tuple(row.tags),
        replies=replies,
        moderation=tuple(sorted(dict(row.moderation.get("requests", {})).items())),
        sla=tuple(sorted(row.sla.items())),
        last_key=row.work_key,
    )


def facts_of(session: Session, item: Item, *, with_replies: bool = True) -> WorkFacts:
    """The work facts an item row holds now (replies only when asked: they cost a query)."""
    assert item.id is not None
    replies = tuple(_reply_state(r) for r in _replies(session, item.id)) if with_replies else ()
    return facts_from(item, replies)


def status_of(row: WorkRow, *, routing_status: str, claimed_by: str | None, resolved: bool) -> str:
    """The denormalised status an item row shows; a withdrawn item stays withdrawn."""
    if row.status == "withdrawn":
        return row.status
    held = routing_status == RoutedStatus.HELD.value
    return work_status(held=held, claimed_by=claimed_by, resolved=resolved).value


def work_values(row: WorkRow, facts: WorkFacts, *, seq: int, now: datetime) -> dict[str, Any]:
    """The item columns `facts` set (replies are rows of their own, not among them)."""
    return {
        "queue": facts.queue or row.routed_queue,
        "claimed_by": facts.claimed_by,
        "claimed_at": facts.claimed_at,
        "resolved_at": facts.resolved_at,
        "resolved_by": facts.resolved_by,
        "escalated": facts.escalated,
        "escalation_note": facts.escalation_note,
        "assignee": facts.assignee,
        "tags": list(facts.tags),
        # Other keys (e.g. `platform`: the platform's own hide/unhide) are the routing side's.
        "moderation": {
            **row.moderation,
            "requests": dict(facts.moderation),
            "hidden": hidden(facts),
        },
        "sla": dict(facts.sla),
        "work_key": facts.last_key,
        "status": status_of(
            row,
            routing_status=row.routing_status,
            claimed_by=facts.claimed_by,
            resolved=facts.resolved_at is not None,
        ),
        "change_seq": seq,
        "updated_at": now,
    }


def write_facts(
    session: Session,
    item: Item,
    facts: WorkFacts,
    *,
    seq: int,
    now: datetime,
    with_replies: bool = True,
) -> None:
    """Put `facts` on the item row and (unless told otherwise) its reply rows."""
    assert item.id is not None
    for name, value in work_values(item, facts, seq=seq, now=now).items():
        setattr(item, name, value)
    if item not in session:  # add() of a row already held walks its cascade: costly per event
        session.add(item)
    if not with_replies:
        return
    rows = {r.reply_id: r for r in _replies(session, item.id)}
    for reply in facts.replies:
        row = rows.get(reply.reply_id) or ReplyRow(
            reply_id=reply.reply_id,
            item_id=item.id,
            author=reply.author,
            author_kind=reply.author_kind,
            text=reply.text,
            status=reply.status,
            verdict=reply.verdict,
            submitted_at=reply.submitted_at,
            updated_at=reply.updated_at or reply.submitted_at,
        )
        _copy_reply(row, reply)
        session.add(row)


def _copy_reply(row: ReplyRow, reply: ReplyState) -> None:
    row.status, row.verdict = reply.status, reply.verdict
    row.findings, row.acknowledged = list(reply.findings), list(reply.acknowledged)
    row.decided_by, row.decided_at = reply.decided_by, reply.decided_at
    row.decision_note = reply.decision_note
    row.platform_reply_id, row.permalink = reply.platform_reply_id, reply.permalink
    row.attempts, row.failure, row.error = reply.attempts, reply.failure, reply.error
    row.retryable = reply.retryable
    row.updated_at = reply.updated_at or reply.submitted_at


def history_detail(event: WorkEvent) -> dict[str, Any]:
    """What a work event shows in the item's history: its detail without the type."""
    return event.detail.model_dump(mode="json", exclude={"type"})


def work_history_values(item_id: int, event: WorkEvent, *, now: datetime) -> dict[str, Any]:
    """The columns of the history entry a work event leaves on its item."""
    return {
        "item_id": item_id,
        "kind": event.action,
        "actor": event.actor,
        "actor_kind": event.actor_kind.value,
        "at": event.occurred_at,
        "detail": history_detail(event),
        "source_event_id": event.event_id,
        "recorded_at": now,
    }


def work_history(item_id: int, event: WorkEvent, *, now: datetime) -> ItemEvent:
    """The history entry a work event leaves on its item."""
    return ItemEvent(**work_history_values(item_id, event, now=now))


def audit_values(event: WorkEvent, *, now: datetime) -> dict[str, Any]:
    """The columns of a work event's audit log row (it also holds the event for refolds)."""
    return {
        "event_id": event.event_id,
        "topic": INBOX_WORK.name,
        "action": event.action,
        "actor_kind": event.actor_kind.value,
        "actor": event.actor,
        "subject": str(event.item_event_id),
        "item_event_id": event.item_event_id,
        "at": event.occurred_at,
        "payload": event.model_dump(mode="json"),
        "recorded_at": now,
    }


def audit_row(event: WorkEvent, *, now: datetime) -> AuditEvent:
    """The audit log row of a work event (it also holds the event for refolds)."""
    return AuditEvent(**audit_values(event, now=now))


def apply_work(session: Session, *, event: WorkEvent, seq: int, now: datetime) -> bool:
    """Fold one work event in; False (no change) when it was already applied.

    An event for an item not yet routed here is kept in the audit log only; `refold` applies
    it when the item arrives.
    """
    if seen(session, event.event_id):
        return False
    session.add(audit_row(event, now=now))
    item = session.exec(select(Item).where(Item.event_id == event.item_event_id)).first()
    if item is None:
        session.flush()
        return True
    # Only reply events change replies: the others skip loading and writing them.
    replies = event.action.startswith("reply_")
    facts = facts_of(session, item, with_replies=replies)
    if is_late(facts, event):
        session.flush()
        refold(session, item=item, seq=seq, now=now)
        return True
    write_facts(session, item, step(facts, event), seq=seq, now=now, with_replies=replies)
    assert item.id is not None
    session.add(work_history(item.id, event, now=now))
    session.flush()
    return True


def refold(session: Session, *, item: Item, seq: int, now: datetime) -> None:
    """Recompute an item's work state from all its work events in the audit log."""
    assert item.id is not None
    rows = session.exec(
        select(AuditEvent.payload).where(
            AuditEvent.item_event_id == item.event_id, AuditEvent.topic == INBOX_WORK.name
        )
    ).all()
    if not rows:
        return
    events = [WorkEvent.model_validate(p) for p in rows]
    write_facts(session, item, replay(events), seq=seq, now=now)
    have = set(
        session.exec(
            select(ItemEvent.source_event_id).where(
                ItemEvent.item_id == item.id, col(ItemEvent.source_event_id).is_not(None)
            )
        ).all()
    )
    for event in events:
        if event.event_id not in have:
            session.add(work_history(item.id, event, now=now))
    session.flush()
