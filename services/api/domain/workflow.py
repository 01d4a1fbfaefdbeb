"""What people may do to an item, decided from its state alone (no database, no HTTP)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class WorkStatus(StrEnum):
    """The status a queue shows for an item."""

    HELD = "held"  # routed while the queue was closed; not workable until released
    OPEN = "open"  # workable, nobody has it
    CLAIMED = "claimed"  # somebody is working it
    RESOLVED = "resolved"  # done
    WITHDRAWN = "withdrawn"  # deleted on the platform: closed, kept in history


def work_status(*, held: bool, claimed_by: str | None, resolved: bool) -> WorkStatus:
    """Status from the facts: resolution beats a claim, a claim beats the hold."""
    if resolved:
        return WorkStatus.RESOLVED
    if claimed_by is not None:
        return WorkStatus.CLAIMED
    return WorkStatus.HELD if held else WorkStatus.OPEN


class ActionConflictError(Exception):
    """The action does not fit the item's current state (HTTP 409)."""

    def __init__(self, message: str, *, holder: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.holder = holder


@dataclass(frozen=True)
class WorkState:
    """The parts of an item that decide whether an action is allowed."""

    status: WorkStatus
    claimed_by: str | None
    hold_until: datetime | None
    queue: str


def _not_resolved(state: WorkState) -> None:
    if state.status is WorkStatus.RESOLVED:
        raise ActionConflictError("item is already resolved")


def _not_held(state: WorkState) -> None:
    if state.status is WorkStatus.HELD:
        until = state.hold_until.isoformat() if state.hold_until else "its queue opens"
        raise ActionConflictError(f"item is held until {until}; it cannot be worked yet")


def _not_someone_elses(state: WorkState, actor: str, *, admin: bool = False) -> None:
    if state.claimed_by is not None and state.claimed_by != actor and not admin:
        raise ActionConflictError(f"item is claimed by {state.claimed_by}", holder=state.claimed_by)


def check_claim(state: WorkState, *, actor: str) -> bool:
    """Whether claiming changes anything (False: the actor already holds it); raise if refused."""
    _not_resolved(state)
    _not_held(state)
    _not_someone_elses(state, actor)
    return state.claimed_by != actor


def check_unclaim(state: WorkState, *, actor: str, admin: bool) -> bool:
    """Whether unclaiming changes anything; only the holder (or an admin) may release a claim."""
    _not_resolved(state)
    _not_someone_elses(state, actor, admin=admin)
    return state.claimed_by is not None


def check_reply(state: WorkState, *, actor: str, channel_known: bool) -> None:
    """A reply needs a workable item nobody else holds, on an account we run."""
    _not_resolved(state)
    _not_held(state)
    _not_someone_elses(state, actor)
    if not channel_known:
        raise ActionConflictError("item's channel is not in the registry: no account to reply from")


def check_resolve(state: WorkState, *, actor: str, admin: bool) -> bool:
    """Whether resolving changes anything; a claim by someone else blocks it (not for admins)."""
    if state.status is WorkStatus.RESOLVED:
        return False
    _not_someone_elses(state, actor, admin=admin)
    return True


def check_reassign(state: WorkState, *, actor: str, admin: bool, to_queue: str) -> None:
    """Reassigning moves an unresolved item to another queue and drops any claim."""
    _not_resolved(state)
    _not_someone_elses(state, actor, admin=admin)
    if to_queue == state.queue:
        raise ActionConflictError(f"item is already in queue {to_queue}")


def check_escalate(state: WorkState) -> None:
    """Escalation flags an unresolved item to be taken offline."""
    _not_resolved(state)
