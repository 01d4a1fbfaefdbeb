"""Request and response bodies of the HTTP API (what OpenAPI documents)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from schemas.events import QUEUE_PATTERN
from schemas.work import ModerationOp
from services.api.domain.workflow import WorkStatus

_T = "2026-11-23T09:30:00Z"


def _storable(value: str) -> str:
    # PostgreSQL cannot store NUL, and lone surrogates are not UTF-8: a 422 here, not a 500.
    if "\x00" in value:
        raise ValueError("text must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as err:
        raise ValueError("text must be valid Unicode (no lone surrogates)") from err
    return value


Text = Annotated[str, AfterValidator(_storable)]
CheckName = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[a-z][a-z0-9_.]*$")]
TagName = Annotated[str, Field(min_length=1, max_length=50, pattern=r"^[a-z0-9][a-z0-9_-]*$")]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorOut(BaseModel):
    """An error with a specific message."""

    detail: str = Field(examples=["item not found in your scope"])


class ConflictOut(BaseModel):
    """The action does not fit the item's state; `holder` names who has claimed it."""

    detail: str = Field(examples=["item is claimed by press-alice"])
    holder: str | None = Field(default=None, examples=["press-alice"])


class QueueOut(BaseModel):
    """A queue with its counts (only items the caller may see are counted)."""

    queue: str = Field(examples=["press"])
    name: str = Field(examples=["Press team"])
    open: int = Field(ge=0, examples=[12])
    held: int = Field(ge=0, examples=[3])
    claimed: int = Field(ge=0, examples=[2])
    oldest_open_at: datetime | None = Field(default=None, examples=[_T])
    oldest_open_age_seconds: float | None = Field(
        default=None, description="How long the oldest open item has been waiting."
    )


class QueueListOut(BaseModel):
    """The caller's queues."""

    queues: list[QueueOut]


class ItemOut(BaseModel):
    """An item as a work list shows it."""

    id: uuid.UUID = Field(description="The inbox item's event id.")
    queue: str = Field(examples=["press"])
    channel_id: str = Field(examples=["twitter:nhs_healthedeng"])
    platform: str = Field(examples=["twitter"])
    status: WorkStatus
    routing_status: str = Field(examples=["queued"], description="queued, held or released.")
    text: str = Field(examples=["Where do I apply for the foundation programme?"])
    author_handle: str | None = Field(default=None, examples=["jo_bloggs"])
    permalink: str | None = None
    created_at: datetime = Field(description="When it was posted.", examples=[_T])
    available_at: datetime | None = Field(
        default=None, description="When it became workable (null while held).", examples=[_T]
    )
    hold_until: datetime | None = None
    claimed_by: str | None = Field(default=None, examples=["press-alice"])
    escalated: bool = False


class ItemPageOut(BaseModel):
    """One page of a work list; pass `next_cursor` back as `cursor` for the next."""

    items: list[ItemOut]
    next_cursor: str | None = Field(default=None, description="Null on the last page.")


class HistoryOut(BaseModel):
    """One entry of an item's history (routing events and every action)."""

    kind: str = Field(
        examples=["claimed"],
        description="routed, held, released, or a work event's action (claimed, unclaimed, "
        "reply_submitted, reply_approved, resolved, reassigned, escalated, note_added, ...).",
    )
    actor: str = Field(examples=["press-alice"], description="'router' or the token's name.")
    actor_kind: str | None = Field(
        default=None, examples=["token"], description="user, token or service (null: routing)."
    )
    at: datetime = Field(examples=[_T])
    detail: dict[str, Any] = Field(default_factory=dict)


class ReplyStateOut(BaseModel):
    """A reply on the item and where it stands."""

    reply_id: uuid.UUID
    author: str
    author_kind: str
    text: str
    status: str = Field(
        examples=["queued"],
        description="pending_approval, approved, rejected, queued, sent or failed.",
    )
    verdict: str = Field(examples=["ok"])
    findings: list[dict[str, Any]] = Field(default_factory=list)
    acknowledged: list[str] = Field(default_factory=list)
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


class ItemDetailOut(ItemOut):
    """An item, why it is where it is, and everything that happened to it."""

    rule: str = Field(examples=["corporate-platform:twitter"])
    reason: str = Field(examples=["corporate twitter channels are worked by press; queue open"])
    campaigns: list[str] = Field(default_factory=list)
    escalation_note: str | None = None
    resolved_at: datetime | None = None
    resolved_by: str | None = None
    assignee: str | None = None
    tags: list[str] = Field(default_factory=list)
    moderation: dict[str, Any] = Field(
        default_factory=dict, description="Moderation requests by id, and `hidden`."
    )
    sla: dict[str, Any] = Field(
        default_factory=dict, description="Per target (first_response, resolution): state."
    )
    replies: list[ReplyStateOut] = Field(default_factory=list)
    item: dict[str, Any] = Field(description="The InboxItem exactly as ingested.")
    history: list[HistoryOut]


class ReplyIn(_In):
    """A reply to publish from the item's account."""

    text: Text = Field(min_length=1, max_length=10_000, examples=["Thanks, we will DM you."])
    acknowledge: list[CheckName] = Field(
        default_factory=list,
        max_length=100,
        description="Check names whose warnings the author has read and accepts.",
    )


class ReplyOut(BaseModel):
    """The reply as recorded: queued for outbox.replies.v1, or pending approval."""

    reply_id: uuid.UUID
    event_id: uuid.UUID = Field(description="Event id of the Reply on outbox.replies.v1.")
    status: str = Field(examples=["queued"], description="queued or pending_approval.")
    verdict: str = Field(examples=["ok"], description="The guidance verdict.")
    findings: list[dict[str, Any]] = Field(default_factory=list)
    item: ItemDetailOut


class GuidanceRefusedOut(BaseModel):
    """The guidance refused the reply as written; nothing was stored or sent."""

    detail: str = Field(examples=["reply refused by guidance (block)"])
    verdict: str = Field(examples=["block"])
    findings: list[dict[str, Any]]
    unacknowledged: list[str] = Field(
        default_factory=list, description="Warned checks to acknowledge to send anyway."
    )


class ReasonIn(_In):
    """Why (required)."""

    reason: Text = Field(min_length=1, max_length=2000, examples=["tone: rewrite"])


class ReopenIn(_In):
    """Why the item is opened again (optional)."""

    reason: Text | None = Field(default=None, max_length=2000)


class RequiredNoteIn(_In):
    """A note (required)."""

    note: Text = Field(min_length=1, max_length=2000, examples=["called back on 0123"])


class AssignIn(_In):
    """Who the item is assigned to; null clears it."""

    assignee: Text | None = Field(default=None, min_length=1, max_length=200)


class TagsIn(_In):
    """Tags to add and remove."""

    add: list[TagName] = Field(default_factory=list, max_length=50)
    remove: list[TagName] = Field(default_factory=list, max_length=50)


class ModerateIn(_In):
    """What to do to the comment on the platform, and why."""

    operation: ModerationOp
    reason: Text | None = Field(default=None, max_length=2000)


class AuditEntryOut(BaseModel):
    """One event in the audit log."""

    event_id: uuid.UUID
    topic: str = Field(examples=["inbox.work.v1"])
    action: str = Field(examples=["claimed"])
    actor_kind: str = Field(examples=["token"])
    actor: str
    subject: str = Field(description="Item event id, token name, campaign id or email.")
    item_id: uuid.UUID | None = None
    at: datetime
    event: dict[str, Any] = Field(description="The event as on the wire.")


class AuditPageOut(BaseModel):
    """One page of the audit log, oldest first; pass `next_cursor` back as `cursor`."""

    entries: list[AuditEntryOut]
    next_cursor: str | None = None


class NoteIn(_In):
    """An optional note."""

    note: Text | None = Field(default=None, max_length=2000, examples=["answered by phone"])


class EscalateIn(_In):
    """Why the conversation should be taken offline."""

    note: Text = Field(min_length=1, max_length=2000, examples=["complaint: hand to PALS"])


class ReassignIn(_In):
    """Where the item goes, and why."""

    queue: str = Field(pattern=QUEUE_PATTERN, examples=["digital"])
    reason: Text = Field(min_length=1, max_length=2000, examples=["about the YouTube video"])


class ChannelOut(BaseModel):
    """An account the caller may poll."""

    id: str = Field(examples=["twitter:hee_kss"])
    platform: str = Field(examples=["twitter"])
    kind: str = Field(examples=["local"])
    name: str
    handle: str
    queue: str = Field(examples=["local:kent-surrey-sussex"])


class ChannelListOut(BaseModel):
    """The caller's channels."""

    channels: list[ChannelOut]


class ChangesOut(BaseModel):
    """Items of a channel that changed since the cursor, oldest change first."""

    channel: str
    items: list[ItemOut]
    cursor: str = Field(description="Pass as `since` next time.")
    has_more: bool = Field(description="True when more changes wait: poll again at once.")


class CampaignIn(_In):
    """A campaign hashtag to track."""

    campaign_id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,99}$", examples=["nhs-careers-2026"])
    name: Text = Field(min_length=1, max_length=200, examples=["NHS Careers week"])
    hashtag: Text = Field(min_length=1, max_length=140, examples=["NHSCareers"])
    owner_queue: str = Field(pattern=QUEUE_PATTERN, examples=["digital"])
    start_date: date = Field(examples=["2026-11-23"])
    end_date: date | None = Field(default=None, examples=["2026-11-30"])


class CampaignOut(BaseModel):
    """A tracked campaign."""

    campaign_id: str
    name: str
    hashtag: str
    owner_queue: str
    start_date: date
    end_date: date | None
    active: bool
    created_by: str
    created_at: datetime


class CampaignListOut(BaseModel):
    """Campaigns owned by the caller's queues."""

    campaigns: list[CampaignOut]


class ReplyCheckIn(_In):
    """A draft reply to check against the staff guidance (nothing is sent or stored)."""

    channel: str = Field(
        min_length=1,
        max_length=200,
        examples=["twitter:hee_kss"],
        description="Registry id of the channel the reply would go out on.",
    )
    text: Text = Field(
        max_length=20_000,
        examples=["Thanks, please email communications@hee.nhs.uk and we will help."],
        description="The draft (up to 20,000 characters: longer than any platform takes, so "
        "the length check can still say by how much it is over).",
    )
    item_id: uuid.UUID | None = Field(
        default=None,
        description="The item being answered, on the same channel: its text is the thread "
        "the offline check reads.",
    )
