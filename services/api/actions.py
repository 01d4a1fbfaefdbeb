"""Actions on items: check against the workflow rules, change the row, append to the audit log.

Each function runs in its own write transaction that starts by taking the writers' lock
(db.next_change), so two people claiming at once are decided one after the other.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from schemas.enums import Platform, RoutedStatus
from schemas.events import Reply
from schemas.topics import OUTBOX_REPLIES
from services.api import store
from services.api.auth import Principal
from services.api.db import next_change
from services.api.domain.workflow import (
    WorkState,
    WorkStatus,
    check_claim,
    check_escalate,
    check_reassign,
    check_reply,
    check_resolve,
    check_unclaim,
    work_status,
)
from services.api.models import Item, ItemEvent, ReplyKey
from services.api.publisher import Publisher


class ItemNotFoundError(LookupError):
    """No such item, or not one the caller may see (the caller cannot tell which)."""


def _state(item: Item) -> WorkState:
    return WorkState(
        status=WorkStatus(item.status),
        claimed_by=item.claimed_by,
        hold_until=item.hold_until,
        queue=item.queue,
    )


def _refresh_status(item: Item) -> None:
    item.status = work_status(
        held=item.routing_status == RoutedStatus.HELD.value,
        claimed_by=item.claimed_by,
        resolved=item.resolved_at is not None,
    ).value


def _run(
    session: Session,
    *,
    event_id: uuid.UUID,
    principal: Principal,
    now: datetime,
    step: Callable[[Item], tuple[str, dict[str, Any]] | None],
) -> Item:
    """Lock, load, apply `step` (which returns the history entry or None for a no-op)."""
    with session.begin():
        seq = next_change(session)
        item = store.item_by_event_id(session, event_id=event_id)
        if item is None or not principal.sees_item(queue=item.queue, channel_id=item.channel_id):
            raise ItemNotFoundError(str(event_id))
        entry = step(item)
        if entry is not None:
            kind, detail = entry
            _refresh_status(item)
            item.change_seq, item.updated_at = seq, now
            session.add(item)
            assert item.id is not None
            session.add(
                ItemEvent(
                    item_id=item.id,
                    kind=kind,
                    actor=principal.name,
                    at=now,
                    detail=detail,
                    recorded_at=now,
                )
            )
            session.flush()
    return item


def claim(session: Session, *, event_id: uuid.UUID, principal: Principal, now: datetime) -> Item:
    """Claim an item; 409 (ActionConflictError) naming the holder if someone else has it."""

    def step(item: Item) -> tuple[str, dict[str, Any]] | None:
        if not check_claim(_state(item), actor=principal.name):
            return None
        item.claimed_by, item.claimed_at = principal.name, now
        return "claimed", {}

    return _run(session, event_id=event_id, principal=principal, now=now, step=step)


def unclaim(session: Session, *, event_id: uuid.UUID, principal: Principal, now: datetime) -> Item:
    """Give a claim back (an admin may take anyone's claim away)."""

    def step(item: Item) -> tuple[str, dict[str, Any]] | None:
        if not check_unclaim(_state(item), actor=principal.name, admin=principal.is_admin):
            return None
        previous = item.claimed_by
        item.claimed_by, item.claimed_at = None, None
        return "unclaimed", {"previous_holder": previous}

    return _run(session, event_id=event_id, principal=principal, now=now, step=step)


def resolve(
    session: Session, *, event_id: uuid.UUID, principal: Principal, now: datetime, note: str | None
) -> Item:
    """Mark an item done (idempotent)."""

    def step(item: Item) -> tuple[str, dict[str, Any]] | None:
        if not check_resolve(_state(item), actor=principal.name, admin=principal.is_admin):
            return None
        item.resolved_at, item.resolved_by = now, principal.name
        return "resolved", {"note": note}

    return _run(session, event_id=event_id, principal=principal, now=now, step=step)


def reassign(
    session: Session,
    *,
    event_id: uuid.UUID,
    principal: Principal,
    now: datetime,
    queue: str,
    reason: str,
) -> Item:
    """Move an item to another queue, dropping any claim."""

    def step(item: Item) -> tuple[str, dict[str, Any]] | None:
        check_reassign(_state(item), actor=principal.name, admin=principal.is_admin, to_queue=queue)
        previous = item.queue
        item.queue, item.claimed_by, item.claimed_at = queue, None, None
        return "reassigned", {"from": previous, "to": queue, "reason": reason}

    return _run(session, event_id=event_id, principal=principal, now=now, step=step)


def escalate(
    session: Session, *, event_id: uuid.UUID, principal: Principal, now: datetime, note: str
) -> Item:
    """Flag an item to be taken offline, with a note."""

    def step(item: Item) -> tuple[str, dict[str, Any]] | None:
        check_escalate(_state(item))
        item.escalated, item.escalation_note = True, note
        return "escalated", {"note": note}

    return _run(session, event_id=event_id, principal=principal, now=now, step=step)


class IdempotencyConflictError(Exception):
    """The Idempotency-Key was already used by this caller for a different reply."""


@dataclass(frozen=True)
class ReplyResult:
    """What a reply returns; `replayed` when an Idempotency-Key matched an earlier reply."""

    item: Item
    reply_id: uuid.UUID
    event_id: uuid.UUID
    replayed: bool = False


def _body_sha256(item: Item, text: str) -> str:
    return hashlib.sha256(f"{item.event_id}\n{text}".encode()).hexdigest()


def _earlier(session: Session, *, actor: str, key: str | None) -> ReplyKey | None:
    if key is None:
        return None
    query = select(ReplyKey).where(ReplyKey.actor == actor, ReplyKey.key == key)
    return session.exec(query).first()


def reply(
    session: Session,
    *,
    event_id: uuid.UUID,
    principal: Principal,
    now: datetime,
    text: str,
    channel_known: Callable[[str], bool],
    publisher: Publisher,
    idempotency_key: str | None = None,
) -> ReplyResult:
    """Record a reply and publish it on outbox.replies.v1 before the transaction commits.

    If the broker does not acknowledge, PublishError propagates and nothing is recorded.
    With `idempotency_key`, a retry (same caller, key, item and text) publishes nothing and
    returns the first reply's ids; the same key with anything else raises
    IdempotencyConflictError. The key is looked up under the writers' lock, so two concurrent
    retries are decided one after the other.
    """
    reply_id = uuid.uuid4()
    result: list[ReplyResult] = []

    def step(item: Item) -> tuple[str, dict[str, Any]] | None:
        digest = _body_sha256(item, text)
        earlier = _earlier(session, actor=principal.name, key=idempotency_key)
        if earlier is not None:
            if earlier.body_sha256 != digest:
                raise IdempotencyConflictError("Idempotency-Key already used for another reply")
            result.append(ReplyResult(item, earlier.reply_id, earlier.reply_event_id, True))
            return None
        check_reply(
            _state(item), actor=principal.name, channel_known=channel_known(item.channel_id)
        )
        event = Reply(
            event_id=Reply.event_id_for(reply_id),
            occurred_at=now,
            reply_id=reply_id,
            item_event_id=item.event_id,
            platform=Platform(item.platform),
            channel_id=item.channel_id,
            in_reply_to=str(item.payload["platform_item_id"]),
            text=text,
            author=principal.name,
        )
        publisher.publish(OUTBOX_REPLIES, key=item.channel_id, event=event)
        if idempotency_key is not None:
            assert item.id is not None
            session.add(
                ReplyKey(
                    actor=principal.name,
                    key=idempotency_key,
                    item_id=item.id,
                    body_sha256=digest,
                    reply_id=reply_id,
                    reply_event_id=event.event_id,
                    created_at=now,
                )
            )
        result.append(ReplyResult(item, reply_id, event.event_id))
        return "replied", {"reply_id": str(reply_id), "text": text}

    _run(session, event_id=event_id, principal=principal, now=now, step=step)
    return result[0]
