"""Actions on items: check the workflow rules, then record the change as a work event.

Each function runs in its own short write transaction that starts by taking the writers' lock
(db.next_change), so two people claiming at once are decided one after the other. Inside it the
action's WorkEvent is folded into the database (work_apply.apply_work, the same fold the
projector and rebuild use) and put in the outbox; the relay sends it after commit. Nothing here
waits on Kafka.

`command_id`: a retried command (same Idempotency-Key) keeps its id, so its events keep
theirs and the retry changes nothing.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from schemas.enums import Platform
from schemas.envelope import make_event_id
from schemas.events import Reply
from schemas.guidance import GuidanceReport, ReplyChecker, Severity
from schemas.topics import INBOX_WORK, OUTBOX_REPLIES
from schemas.work import (
    Assigned,
    Claimed,
    Escalated,
    ModerationOp,
    ModerationRequested,
    NoteAdded,
    Reassigned,
    Reopened,
    ReplyApproved,
    ReplyRejected,
    ReplyRetried,
    ReplySubmitted,
    Resolved,
    Tagged,
    Unclaimed,
    WorkDetail,
    WorkEvent,
)
from services.api import store
from services.api.auth import Principal
from services.api.db import next_change
from services.api.domain.work import occurred_after
from services.api.domain.workflow import (
    ActionConflictError,
    WorkState,
    WorkStatus,
    check_claim,
    check_escalate,
    check_reassign,
    check_reply,
    check_resolve,
    check_unclaim,
)
from services.api.models import Item, ReplyKey, ReplyRow
from services.api.outbox import enqueue
from services.api.work_apply import apply_work


class ItemNotFoundError(LookupError):
    """No such item, or not one the caller may see (the caller cannot tell which)."""


class NotAllowedError(PermissionError):
    """The caller sees the item but may not do this to it (HTTP 403), e.g. approve a reply."""


class ReplyNotFoundError(LookupError):
    """No such reply on this item (HTTP 404)."""


class GuidanceRefusedError(Exception):
    """The guidance refuses the reply as written (HTTP 422 with the findings)."""

    def __init__(self, report: GuidanceReport, *, unacknowledged: Sequence[str] = ()) -> None:
        super().__init__(f"reply refused by guidance ({report.verdict.value})")
        self.report = report
        self.unacknowledged = list(unacknowledged)


class IdempotencyConflictError(Exception):
    """The Idempotency-Key was already used by this caller for a different reply."""


def command_id_for(principal: Principal, idempotency_key: str | None) -> uuid.UUID:
    """A command's id: from the caller's Idempotency-Key when given (a retry keeps it)."""
    if idempotency_key is None:
        return uuid.uuid4()
    return make_event_id("command", principal.actor_kind.value, principal.name, idempotency_key)


def _state(item: Item) -> WorkState:
    status = item.status if item.status != "withdrawn" else WorkStatus.RESOLVED.value
    return WorkState(
        status=WorkStatus(status),
        claimed_by=item.claimed_by,
        hold_until=item.hold_until,
        queue=item.queue,
    )


Decide = Callable[[Item], Sequence[WorkDetail]]


def _run(
    session: Session,
    *,
    event_id: uuid.UUID,
    principal: Principal,
    now: datetime,
    decide: Decide,
    command_id: uuid.UUID | None = None,
    after: Callable[[Item, WorkEvent, int], None] | None = None,
) -> Item:
    """Lock, load, decide the events (none: a no-op), fold them in and put them in the outbox.

    `after(item, event, seq)` runs for each newly applied event (e.g. to queue a Reply).
    """
    command = command_id or uuid.uuid4()
    if session.in_transaction():
        session.commit()
    with session.begin():
        seq = next_change(session)
        item = store.item_by_event_id(session, event_id=event_id)
        if item is None or not principal.sees_item(queue=item.queue, channel_id=item.channel_id):
            raise ItemNotFoundError(str(event_id))
        for detail in decide(item):
            at = occurred_after(item.work_key, now)
            event = WorkEvent.create(
                item_event_id=item.event_id,
                channel_id=item.channel_id,
                queue=item.queue,
                actor_kind=principal.actor_kind,
                actor=principal.name,
                command_id=command,
                detail=detail,
                occurred_at=at,
            )
            if apply_work(session, event=event, seq=seq, now=now):
                enqueue(session, INBOX_WORK, key=str(item.event_id), event=event, now=now)
                if after is not None:
                    after(item, event, seq)
    return item


def claim(
    session: Session,
    *,
    event_id: uuid.UUID,
    principal: Principal,
    now: datetime,
    command_id: uuid.UUID | None = None,
) -> Item:
    """Claim an item; 409 (ActionConflictError) naming the holder if someone else has it."""

    def decide(item: Item) -> list[WorkDetail]:
        return [Claimed()] if check_claim(_state(item), actor=principal.name) else []

    return _run(
        session, event_id=event_id, principal=principal, now=now, decide=decide,
        command_id=command_id,
    )  # fmt: skip


def unclaim(
    session: Session,
    *,
    event_id: uuid.UUID,
    principal: Principal,
    now: datetime,
    command_id: uuid.UUID | None = None,
) -> Item:
    """Give a claim back (an admin may take anyone's claim away)."""

    def decide(item: Item) -> list[WorkDetail]:
        if not check_unclaim(_state(item), actor=principal.name, admin=principal.is_admin):
            return []
        return [Unclaimed(previous_holder=item.claimed_by)]

    return _run(
        session, event_id=event_id, principal=principal, now=now, decide=decide,
        command_id=command_id,
    )  # fmt: skip


def resolve(
    session: Session,
    *,
    event_id: uuid.UUID,
    principal: Principal,
    now: datetime,
    note: str | None,
    command_id: uuid.UUID | None = None,
) -> Item:
    """Mark an item done (idempotent)."""

    def decide(item: Item) -> list[WorkDetail]:
        if item.status == "withdrawn":
            return []
        ok = check_resolve(_state(item), actor=principal.name, admin=principal.is_admin)
        return [Resolved(note=note)] if ok else []

    return _run(
        session, event_id=event_id, principal=principal, now=now, decide=decide,
        command_id=command_id,
    )  # fmt: skip


def reopen(
    session: Session,
    *,
    event_id: uuid.UUID,
    principal: Principal,
    now: datetime,
    reason: str | None = None,
    command_id: uuid.UUID | None = None,
) -> Item:
    """Open a resolved item again; 409 if it is not resolved."""

    def decide(item: Item) -> list[WorkDetail]:
        if item.resolved_at is None:
            raise ActionConflictError("item is not resolved")
        return [Reopened(reason=reason)]

    return _run(
        session, event_id=event_id, principal=principal, now=now, decide=decide,
        command_id=command_id,
    )  # fmt: skip


def reassign(
    session: Session,
    *,
    event_id: uuid.UUID,
    principal: Principal,
    now: datetime,
    queue: str,
    reason: str,
    command_id: uuid.UUID | None = None,
) -> Item:
    """Move an item to another queue, dropping any claim."""

    def decide(item: Item) -> list[WorkDetail]:
        check_reassign(_state(item), actor=principal.name, admin=principal.is_admin, to_queue=queue)
        return [Reassigned(from_queue=item.queue, to_queue=queue, reason=reason)]

    return _run(
        session, event_id=event_id, principal=principal, now=now, decide=decide,
        command_id=command_id,
    )  # fmt: skip


def escalate(
    session: Session,
    *,
    event_id: uuid.UUID,
    principal: Principal,
    now: datetime,
    note: str,
    command_id: uuid.UUID | None = None,
) -> Item:
    """Flag an item to be taken offline, with a note."""

    def decide(item: Item) -> list[WorkDetail]:
        check_escalate(_state(item))
        return [Escalated(note=note)]

    return _run(
        session, event_id=event_id, principal=principal, now=now, decide=decide,
        command_id=command_id,
    )  # fmt: skip


def add_note(
    session: Session,
    *,
    event_id: uuid.UUID,
    principal: Principal,
    now: datetime,
    note: str,
    command_id: uuid.UUID | None = None,
) -> Item:
    """An internal note on the item (never published)."""
    return _run(
        session, event_id=event_id, principal=principal, now=now,
        decide=lambda _item: [NoteAdded(note=note)], command_id=command_id,
    )  # fmt: skip


def assign(
    session: Session,
    *,
    event_id: uuid.UUID,
    principal: Principal,
    now: datetime,
    assignee: str | None,
    command_id: uuid.UUID | None = None,
) -> Item:
    """Assign the item to a person (None clears it); the same assignee again is a no-op."""

    def decide(item: Item) -> list[WorkDetail]:
        return [] if item.assignee == assignee else [Assigned(assignee=assignee)]

    return _run(
        session, event_id=event_id, principal=principal, now=now, decide=decide,
        command_id=command_id,
    )  # fmt: skip


def tag(
    session: Session,
    *,
    event_id: uuid.UUID,
    principal: Principal,
    now: datetime,
    added: Sequence[str] = (),
    removed: Sequence[str] = (),
    command_id: uuid.UUID | None = None,
) -> Item:
    """Add and remove tags; only real changes are recorded."""

    def decide(item: Item) -> list[WorkDetail]:
        have = set(item.tags)
        plus = sorted(set(added) - have)
        minus = sorted((set(removed) & have) - set(added))
        return [Tagged(added=plus, removed=minus)] if plus or minus else []

    return _run(
        session, event_id=event_id, principal=principal, now=now, decide=decide,
        command_id=command_id,
    )  # fmt: skip


def request_moderation(
    session: Session,
    *,
    event_id: uuid.UUID,
    principal: Principal,
    now: datetime,
    operation: ModerationOp,
    reason: str | None,
    command_id: uuid.UUID | None = None,
) -> Item:
    """Ask for the item's comment to be hidden, unhidden or deleted on the platform.

    The publisher consumes the ModerationRequested event from inbox.work.v1.
    """
    command = command_id or uuid.uuid4()

    def decide(item: Item) -> list[WorkDetail]:
        if not (principal.is_admin or principal.sees_queue(item.queue)):
            raise NotAllowedError("only the item's queue (or an admin) may moderate it")
        return [
            ModerationRequested(
                moderation_id=make_event_id("moderation", str(command)),
                operation=operation,
                platform_item_id=str(item.payload["platform_item_id"]),
                reason=reason,
            )
        ]

    return _run(
        session, event_id=event_id, principal=principal, now=now, decide=decide,
        command_id=command,
    )  # fmt: skip


# --- replies ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReplyResult:
    """What a reply returns; `replayed` when an Idempotency-Key matched an earlier reply."""

    item: Item
    reply_id: uuid.UUID
    event_id: uuid.UUID
    status: str
    report: GuidanceReport
    replayed: bool = False


def _body_sha256(item: Item, text: str) -> str:
    return hashlib.sha256(f"{item.event_id}\n{text}".encode()).hexdigest()


def _earlier(session: Session, *, actor: str, key: str | None) -> ReplyKey | None:
    if key is None:
        return None
    query = select(ReplyKey).where(ReplyKey.actor == actor, ReplyKey.key == key)
    return session.exec(query).first()


def _reply_event(
    item: Item, row_text: str, *, reply_id: uuid.UUID, author: str, now: datetime
) -> Reply:
    return Reply(
        event_id=Reply.event_id_for(reply_id),
        occurred_at=now,
        reply_id=reply_id,
        item_event_id=item.event_id,
        platform=Platform(item.platform),
        channel_id=item.channel_id,
        in_reply_to=str(item.payload["platform_item_id"]),
        text=row_text,
        author=author,
    )


def judge(report: GuidanceReport, *, acknowledge: Sequence[str]) -> bool:
    """Whether a reply needs approval; raise GuidanceRefusedError if it may not go as written.

    block: refused. warn: refused unless every warned check is acknowledged. approval: held.
    """
    if report.verdict is Severity.BLOCK:
        raise GuidanceRefusedError(report)
    warned = sorted({f.check for f in report.findings if f.severity is Severity.WARN})
    missing = [c for c in warned if c not in set(acknowledge)]
    if missing:
        raise GuidanceRefusedError(report, unacknowledged=missing)
    return report.verdict is Severity.APPROVAL


def reply(
    session: Session,
    *,
    event_id: uuid.UUID,
    principal: Principal,
    now: datetime,
    text: str,
    channel_known: Callable[[str], bool],
    checker: ReplyChecker,
    acknowledge: Sequence[str] = (),
    idempotency_key: str | None = None,
) -> ReplyResult:
    """Check a reply against the guidance, record ReplySubmitted, and queue it for publishing.

    A reply that needs approval waits (status pending_approval) for `approve_reply`; any other
    goes to outbox.replies.v1 through the outbox. With `idempotency_key`, a retry (same
    caller, key, item and text) records nothing and returns the first reply's ids; the same
    key with anything else raises IdempotencyConflictError. The key is looked up under the
    writers' lock, so two concurrent retries are decided one after the other.
    """
    command = command_id_for(principal, idempotency_key)
    reply_id = make_event_id("reply-id", str(command)) if idempotency_key else uuid.uuid4()
    result: list[ReplyResult] = []

    def decide(item: Item) -> list[WorkDetail]:
        digest = _body_sha256(item, text)
        earlier = _earlier(session, actor=principal.name, key=idempotency_key)
        if earlier is not None:
            if earlier.body_sha256 != digest:
                raise IdempotencyConflictError("Idempotency-Key already used for another reply")
            row = session.get(ReplyRow, earlier.reply_id)
            status = row.status if row is not None else "queued"
            report = GuidanceReport.of([])
            result.append(
                ReplyResult(item, earlier.reply_id, earlier.reply_event_id, status, report, True)
            )
            return []
        check_reply(
            _state(item), actor=principal.name, channel_known=channel_known(item.channel_id)
        )
        report = checker.check(channel_id=item.channel_id, text=text)
        needs_approval = judge(report, acknowledge=acknowledge)
        if idempotency_key is not None:
            assert item.id is not None
            session.add(
                ReplyKey(
                    actor=principal.name,
                    key=idempotency_key,
                    item_id=item.id,
                    body_sha256=digest,
                    reply_id=reply_id,
                    reply_event_id=Reply.event_id_for(reply_id),
                    created_at=now,
                )
            )
        status = "pending_approval" if needs_approval else "queued"
        result.append(ReplyResult(item, reply_id, Reply.event_id_for(reply_id), status, report))
        acknowledged = sorted({f.check for f in report.findings} & set(acknowledge))
        return [
            ReplySubmitted(
                reply_id=reply_id,
                text=text,
                verdict=report.verdict,
                findings=list(report.findings),
                acknowledged=acknowledged,
                needs_approval=needs_approval,
            )
        ]

    def after(item: Item, event: WorkEvent, _seq: int) -> None:
        detail = event.detail
        if isinstance(detail, ReplySubmitted) and not detail.needs_approval:
            out = _reply_event(item, text, reply_id=reply_id, author=principal.name, now=now)
            enqueue(session, OUTBOX_REPLIES, key=item.channel_id, event=out, now=now)

    _run(
        session, event_id=event_id, principal=principal, now=now, decide=decide,
        command_id=command, after=after,
    )  # fmt: skip
    return result[0]


def _pending(session: Session, item: Item, reply_id: uuid.UUID) -> ReplyRow:
    row = session.get(ReplyRow, reply_id)
    if row is None or row.item_id != item.id:
        raise ReplyNotFoundError(str(reply_id))
    return row


def _approver(principal: Principal, item: Item) -> None:
    if not principal.may_approve(item.queue):
        raise NotAllowedError(f"only an approver for queue {item.queue} may decide this reply")


def approve_reply(
    session: Session,
    *,
    event_id: uuid.UUID,
    principal: Principal,
    now: datetime,
    reply_id: uuid.UUID,
    note: str | None = None,
    command_id: uuid.UUID | None = None,
) -> Item:
    """An approver lets a pending reply go out: ReplyApproved, and the Reply to the outbox."""
    rows: list[ReplyRow] = []

    def decide(item: Item) -> list[WorkDetail]:
        _approver(principal, item)
        row = _pending(session, item, reply_id)
        if row.status != "pending_approval":
            raise ActionConflictError(f"reply is {row.status}, not pending approval")
        rows.append(row)
        return [ReplyApproved(reply_id=reply_id, note=note)]

    def after(item: Item, _event: WorkEvent, _seq: int) -> None:
        row = rows[0]
        out = _reply_event(item, row.text, reply_id=reply_id, author=row.author, now=now)
        enqueue(session, OUTBOX_REPLIES, key=item.channel_id, event=out, now=now)

    return _run(
        session, event_id=event_id, principal=principal, now=now, decide=decide,
        command_id=command_id, after=after,
    )  # fmt: skip


def reject_reply(
    session: Session,
    *,
    event_id: uuid.UUID,
    principal: Principal,
    now: datetime,
    reply_id: uuid.UUID,
    reason: str,
    command_id: uuid.UUID | None = None,
) -> Item:
    """An approver refuses a pending reply (a reason is required); it is never sent."""

    def decide(item: Item) -> list[WorkDetail]:
        _approver(principal, item)
        row = _pending(session, item, reply_id)
        if row.status != "pending_approval":
            raise ActionConflictError(f"reply is {row.status}, not pending approval")
        return [ReplyRejected(reply_id=reply_id, reason=reason)]

    return _run(
        session, event_id=event_id, principal=principal, now=now, decide=decide,
        command_id=command_id,
    )  # fmt: skip


def retry_reply(
    session: Session,
    *,
    event_id: uuid.UUID,
    principal: Principal,
    now: datetime,
    reply_id: uuid.UUID,
    command_id: uuid.UUID | None = None,
) -> Item:
    """Ask for a failed, retryable reply to be sent again (ReplyRetried; the publisher acts)."""

    def decide(item: Item) -> list[WorkDetail]:
        row = _pending(session, item, reply_id)
        if row.status != "failed":
            raise ActionConflictError(f"reply is {row.status}; only a failed reply is retried")
        if row.retryable is False:
            raise ActionConflictError(f"reply failed for good ({row.failure}): write a new one")
        check_reply(_state(item), actor=principal.name, channel_known=True)
        return [ReplyRetried(reply_id=reply_id, attempt=max(2, row.attempts + 1))]

    return _run(
        session, event_id=event_id, principal=principal, now=now, decide=decide,
        command_id=command_id,
    )  # fmt: skip
