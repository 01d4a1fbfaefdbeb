"""Work events: every change a person or service makes to an item's work state.

They travel on `inbox.work.v1`, keyed by the item's event id, so one item's work events stay
in order. The API writes them through its transactional outbox; the publisher and the SLA
timer write theirs directly. The API database is a projection of these and the routed topic.

Each kind of change has its own detail model, chosen by its `type` (the action's name), so a
consumer matches on `event.detail` and every field is described and validated.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from schemas.envelope import Event, UtcDatetime, make_event_id
from schemas.events import QUEUE_PATTERN
from schemas.guidance import Finding, Severity

_NOTE = 2000


class ActorKind(StrEnum):
    """Who made a change. Kinds keep a token called `publisher` apart from the service."""

    USER = "user"  # a person signed in to the web page (actor = their email)
    TOKEN = "token"  # noqa: S105  (an actor kind: an API bearer token, by name)
    SERVICE = "service"  # a Switchboard service (actor = publisher, sla, router...)


class _Detail(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Claimed(_Detail):
    """The actor took the item to work it."""

    type: Literal["claimed"] = "claimed"


class Unclaimed(_Detail):
    """A claim was given back (or taken away by an admin)."""

    type: Literal["unclaimed"] = "unclaimed"
    previous_holder: str | None = Field(default=None, max_length=200, description="Who held it.")


class Assigned(_Detail):
    """The item was assigned to a person (or the assignment cleared)."""

    type: Literal["assigned"] = "assigned"
    assignee: str | None = Field(default=None, max_length=200, description="None clears it.")


class Resolved(_Detail):
    """The item is done."""

    type: Literal["resolved"] = "resolved"
    note: str | None = Field(default=None, max_length=_NOTE, description="Why, optionally.")


class Reopened(_Detail):
    """A resolved item was opened again."""

    type: Literal["reopened"] = "reopened"
    reason: str | None = Field(default=None, max_length=_NOTE, description="Why.")


class Reassigned(_Detail):
    """The item moved to another queue; any claim is dropped."""

    type: Literal["reassigned"] = "reassigned"
    from_queue: str = Field(pattern=QUEUE_PATTERN, description="Queue it was in.")
    to_queue: str = Field(pattern=QUEUE_PATTERN, description="Queue it moved to.")
    reason: str = Field(min_length=1, max_length=_NOTE, description="Why it moved.")


class Escalated(_Detail):
    """The item is flagged to be taken offline."""

    type: Literal["escalated"] = "escalated"
    note: str = Field(min_length=1, max_length=_NOTE, description="What and why.")


class NoteAdded(_Detail):
    """An internal note on the item (never published)."""

    type: Literal["note_added"] = "note_added"
    note: str = Field(min_length=1, max_length=_NOTE, description="The note.")


class Tagged(_Detail):
    """Tags were added to or removed from the item."""

    type: Literal["tagged"] = "tagged"
    added: list[str] = Field(default_factory=list, max_length=50, description="Tags added.")
    removed: list[str] = Field(default_factory=list, max_length=50, description="Tags removed.")


class ReplySubmitted(_Detail):
    """A reply was written and checked against the guidance.

    `needs_approval` replies wait for `reply_approved`; the others go to the outbox at once.
    """

    type: Literal["reply_submitted"] = "reply_submitted"
    reply_id: uuid.UUID = Field(description="The reply's id (the Reply event derives from it).")
    text: str = Field(min_length=1, max_length=10_000, description="The reply as written.")
    verdict: Severity = Field(description="The guidance verdict on the text.")
    findings: list[Finding] = Field(
        default_factory=list, max_length=500, description="What the guidance found."
    )
    acknowledged: list[str] = Field(
        default_factory=list,
        max_length=100,
        description="Check names whose warnings the author acknowledged when sending.",
    )
    needs_approval: bool = Field(default=False, description="True: waits for an approver.")


class ReplyApproved(_Detail):
    """An approver let a pending reply go out."""

    type: Literal["reply_approved"] = "reply_approved"
    reply_id: uuid.UUID = Field(description="The reply approved.")
    note: str | None = Field(default=None, max_length=_NOTE, description="Optional note.")


class ReplyRejected(_Detail):
    """An approver refused a pending reply; it is never sent."""

    type: Literal["reply_rejected"] = "reply_rejected"
    reply_id: uuid.UUID = Field(description="The reply rejected.")
    reason: str = Field(min_length=1, max_length=_NOTE, description="Why, for the author.")


class ReplyPublished(_Detail):
    """The platform accepted the reply."""

    type: Literal["reply_published"] = "reply_published"
    reply_id: uuid.UUID = Field(description="The reply published.")
    platform_reply_id: str = Field(
        min_length=1, max_length=200, description="The platform's id of the posted reply."
    )
    permalink: str | None = Field(default=None, max_length=2000, description="Link to it.")
    attempts: int = Field(ge=1, description="Requests it took (retries included).")


class FailureClass(StrEnum):
    """Why a platform request failed, as far as retrying is concerned."""

    NOT_CONNECTED = "not_connected"  # no credentials configured for the account
    AUTH = "auth"  # token expired, revoked or invalid
    PERMISSION = "permission"  # the token lacks the scope / role
    GONE = "gone"  # the parent comment or post no longer exists
    INVALID = "invalid"  # the platform refused the request as malformed or too long
    RATE_LIMITED = "rate_limited"  # retries exhausted while throttled
    UNAVAILABLE = "unavailable"  # retries exhausted on 5xx or timeouts


class ReplyFailed(_Detail):
    """The reply could not be published; `retryable` says whether a person may retry it."""

    type: Literal["reply_failed"] = "reply_failed"
    reply_id: uuid.UUID = Field(description="The reply that failed.")
    failure: FailureClass = Field(description="The class of failure.")
    error: str = Field(min_length=1, max_length=_NOTE, description="The platform's answer.")
    retryable: bool = Field(description="Whether retrying could succeed.")
    attempts: int = Field(ge=0, description="Requests made.")


class ReplyRetried(_Detail):
    """A person asked for a failed reply to be sent again (a new attempt of the same reply)."""

    type: Literal["reply_retried"] = "reply_retried"
    reply_id: uuid.UUID = Field(description="The reply to send again.")
    attempt: int = Field(ge=2, description="Which attempt this starts (the first is 1).")


class ModerationOp(StrEnum):
    """What can be done to a comment on the platform itself."""

    HIDE = "hide"
    UNHIDE = "unhide"
    DELETE = "delete"


class ModerationRequested(_Detail):
    """A person asked for the item to be hidden, unhidden or deleted on the platform."""

    type: Literal["moderation_requested"] = "moderation_requested"
    moderation_id: uuid.UUID = Field(description="Id of this request.")
    operation: ModerationOp = Field(description="What to do.")
    platform_item_id: str = Field(
        min_length=1, max_length=200, description="The platform's id of the comment to moderate."
    )
    reason: str | None = Field(default=None, max_length=_NOTE, description="Why.")


class ModerationApplied(_Detail):
    """The platform applied a moderation request."""

    type: Literal["moderation_applied"] = "moderation_applied"
    moderation_id: uuid.UUID = Field(description="The request applied.")
    operation: ModerationOp = Field(description="What was done.")


class ModerationFailed(_Detail):
    """The platform refused or could not apply a moderation request."""

    type: Literal["moderation_failed"] = "moderation_failed"
    moderation_id: uuid.UUID = Field(description="The request that failed.")
    operation: ModerationOp = Field(description="What was asked.")
    failure: FailureClass = Field(description="The class of failure.")
    error: str = Field(min_length=1, max_length=_NOTE, description="The platform's answer.")


class SlaTarget(StrEnum):
    """The response-time targets an item is measured against."""

    FIRST_RESPONSE = "first_response"
    RESOLUTION = "resolution"


class SlaWarning(_Detail):
    """A target is near: the warning threshold of its office time has passed."""

    type: Literal["sla_warning"] = "sla_warning"
    target: SlaTarget = Field(description="Which target.")
    due_at: UtcDatetime = Field(description="When the target falls due.")


class SlaBreached(_Detail):
    """A target's office time ran out before it was met."""

    type: Literal["sla_breached"] = "sla_breached"
    target: SlaTarget = Field(description="Which target.")
    due_at: UtcDatetime = Field(description="When it fell due.")


WorkDetail = Annotated[
    Claimed
    | Unclaimed
    | Assigned
    | Resolved
    | Reopened
    | Reassigned
    | Escalated
    | NoteAdded
    | Tagged
    | ReplySubmitted
    | ReplyApproved
    | ReplyRejected
    | ReplyPublished
    | ReplyFailed
    | ReplyRetried
    | ModerationRequested
    | ModerationApplied
    | ModerationFailed
    | SlaWarning
    | SlaBreached,
    Field(discriminator="type"),
]


class WorkEvent(Event):
    """One change to one item's work state, by a person or a service."""

    SCHEMA_NAME: ClassVar[str] = "WorkEvent"

    schema_version: Literal[1] = Field(default=1, description="Schema version of WorkEvent.")
    item_event_id: uuid.UUID = Field(description="Event id of the inbox item; the topic key.")
    channel_id: str = Field(min_length=1, max_length=200, description="The item's channel.")
    queue: str = Field(pattern=QUEUE_PATTERN, description="The item's queue when it happened.")
    actor_kind: ActorKind = Field(description="Whether a person, a token or a service did it.")
    actor: str = Field(min_length=1, max_length=200, description="Who: email, token or service.")
    command_id: uuid.UUID = Field(
        description="Id of the command that made the change; a retried command keeps its id, "
        "so its events keep theirs."
    )
    detail: WorkDetail = Field(description="What changed; `detail.type` names the action.")

    @property
    def action(self) -> str:
        """The action's name, e.g. claimed or reply_published."""
        return self.detail.type

    @classmethod
    def event_id_for(
        cls, *, command_id: uuid.UUID, action: str, item_event_id: uuid.UUID
    ) -> uuid.UUID:
        """One event per command, action and item: a retried command is a duplicate."""
        return make_event_id("work", str(command_id), action, str(item_event_id))

    @classmethod
    def create(
        cls,
        *,
        item_event_id: uuid.UUID,
        channel_id: str,
        queue: str,
        actor_kind: ActorKind,
        actor: str,
        command_id: uuid.UUID,
        detail: WorkDetail,
        occurred_at: datetime,
    ) -> WorkEvent:
        """Build a work event, deriving its deterministic id from the command."""
        return cls(
            event_id=cls.event_id_for(
                command_id=command_id, action=detail.type, item_event_id=item_event_id
            ),
            occurred_at=occurred_at,
            item_event_id=item_event_id,
            channel_id=channel_id,
            queue=queue,
            actor_kind=actor_kind,
            actor=actor,
            command_id=command_id,
            detail=detail,
        )
