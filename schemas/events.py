"""Event types on the wire. One class per event type; a breaking change is a new class (V2)."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import uuid
from datetime import UTC, date, datetime
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from schemas.enums import ItemAction, ItemKind, Platform, RoutedStatus, TimeSource
from schemas.envelope import Event, UtcDatetime, make_event_id

QUEUE_PATTERN = r"^(press|digital|triage|local:[a-z0-9][a-z0-9-]*|programme:[a-z0-9][a-z0-9-]*)$"
_HASHTAG = re.compile(r"^[^\s#]{1,139}$")


def inbox_event_id(
    platform: Platform,
    platform_item_id: str,
    action: ItemAction,
    *,
    channel_id: str,
    edited_at: datetime | None = None,
) -> uuid.UUID:
    """Event id of an inbox item: the same platform item, channel and action map to one id.

    The channel is part of it: one post addressed to two of our accounts is one item per
    account (a webhook retry to the same account is still a duplicate). An item can be edited
    many times, so an edit's id also names the edit's time: two edits are two events, while a
    redelivery of the same edit is still a duplicate.
    """
    parts = ["inbox", platform.value, channel_id, platform_item_id, action.value]
    if action is ItemAction.EDITED:
        if edited_at is None:
            raise ValueError("an edit's event id needs the time of the edit")
        parts.append(edited_at.astimezone(UTC).isoformat())
    return make_event_id(*parts)


def _edited_at(action: ItemAction, occurred_at: datetime) -> datetime | None:
    return occurred_at if action is ItemAction.EDITED else None


class MediaRef(BaseModel):
    """One attachment of an item (photo, video, link), by the URL the platform gave."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["photo", "video", "link", "other"] = Field(
        description="What the attachment is, as the platform says (unknown kinds: `other`)."
    )
    url: str = Field(min_length=1, max_length=2000, description="Where the attachment is.")


class InboxItem(Event):
    """A comment or mention addressed to one of the organisation's accounts, normalised."""

    SCHEMA_NAME: ClassVar[str] = "InboxItem"

    schema_version: Literal[1] = Field(default=1, description="Schema version of InboxItem.")
    platform: Platform = Field(description="Platform the item was posted on.")
    channel_id: str = Field(
        min_length=1,
        max_length=200,
        description="Registry id of the addressed account (e.g. twitter:hee_kss); for an "
        "account not in the registry, `unknown:<platform>:<account>`.",
        examples=["twitter:hee_kss"],
    )
    channel_known: bool = Field(
        description="False when the addressed account is not in the channel registry: the "
        "router sends such items to triage."
    )
    addressed_account: str = Field(
        min_length=1,
        max_length=200,
        description="The account the platform says was addressed (handle, page id or URL), "
        "as given, so an unknown channel can be diagnosed.",
    )
    kind: ItemKind = Field(description="Comment, reply, mention or live comment.")
    action: ItemAction = Field(description="Created, edited, deleted, hidden or unhidden.")
    platform_item_id: str = Field(
        min_length=1, max_length=200, description="The platform's own id of the item (string)."
    )
    parent_id: str | None = Field(
        default=None, max_length=200, description="Id of the comment or post replied to."
    )
    thread_id: str | None = Field(
        default=None,
        max_length=200,
        description="Id of the root content (post, video, photo, conversation).",
    )
    author_id: str | None = Field(default=None, max_length=200, description="Author's id.")
    author_handle: str | None = Field(
        default=None, max_length=200, description="Author's handle or username, without '@'."
    )
    author_name: str | None = Field(default=None, max_length=500, description="Display name.")
    text: str = Field(
        max_length=100_000,
        description="Plain, unescaped Unicode text (no HTML, no markup); empty for deletions.",
    )
    created_at: UtcDatetime = Field(description="When the item was created on the platform.")
    created_at_source: TimeSource = Field(
        default=TimeSource.PLATFORM,
        description="`delivery` when the platform gave no creation time and the webhook "
        "entry time was used instead.",
    )
    hashtags: list[str] = Field(
        default_factory=list, description="Hashtags in the text, without '#', as written."
    )
    mentions: list[str] = Field(
        default_factory=list, description="Accounts mentioned in the text, without '@'."
    )
    permalink: str | None = Field(
        default=None,
        max_length=2000,
        description="Link to the item; built from ids where the platform gives none.",
    )
    media: list[MediaRef] = Field(
        default_factory=list,
        max_length=50,
        description="Attachments (photo, video, link) as the platform's URLs; empty when "
        "the item has none or the platform sends none in this payload.",
    )

    @model_validator(mode="after")
    def _id_matches_item(self) -> InboxItem:
        expected = inbox_event_id(
            self.platform,
            self.platform_item_id,
            self.action,
            channel_id=self.channel_id,
            edited_at=_edited_at(self.action, self.occurred_at),
        )
        if self.event_id != expected:
            raise ValueError(
                f"event_id must be derived from platform, channel_id, platform_item_id and "
                f"action "
                f"(expected {expected})"
            )
        return self

    @classmethod
    def create(cls, **fields: object) -> InboxItem:
        """Build an item, deriving its event id and (by default) occurred_at = created_at."""
        platform = Platform(str(fields["platform"]))
        action = ItemAction(str(fields.get("action", ItemAction.CREATED)))
        fields.setdefault("action", action)
        fields.setdefault("occurred_at", fields["created_at"])
        occurred = fields["occurred_at"]
        if not isinstance(occurred, datetime) or occurred.tzinfo is None:
            raise ValueError("occurred_at/created_at must be a timezone-aware datetime")
        fields["event_id"] = inbox_event_id(
            platform,
            str(fields["platform_item_id"]),
            action,
            channel_id=str(fields["channel_id"]),
            edited_at=_edited_at(action, occurred),
        )
        return cls.model_validate(fields)


class RoutedItem(Event):
    """A routing decision for one inbox item, and its status against office hours."""

    SCHEMA_NAME: ClassVar[str] = "RoutedItem"

    schema_version: Literal[1] = Field(default=1, description="Schema version of RoutedItem.")
    item: InboxItem = Field(description="The routed item, as ingested.")
    queue: str = Field(
        pattern=QUEUE_PATTERN,
        description="Queue that works the item: press, digital, triage, local:<region>, "
        "programme:<name>.",
        examples=["press", "local:kss"],
    )
    status: RoutedStatus = Field(description="queued, held or released.")
    rule: str = Field(
        min_length=1,
        max_length=200,
        description="Id of the routing rule that matched, e.g. corporate-platform:facebook.",
    )
    reason: str = Field(
        min_length=1,
        max_length=2000,
        description="Human-readable explanation: the rule that matched and the calendar verdict.",
    )
    hold_until: UtcDatetime | None = Field(
        default=None, description="For held items: the queue's next opening."
    )
    campaigns: list[str] = Field(
        default_factory=list,
        description="Hashtags (lower case, no '#') of tracked campaigns this item matches.",
    )

    @classmethod
    def event_id_for(cls, item_event_id: uuid.UUID, status: RoutedStatus) -> uuid.UUID:
        """One routed event per item and status, so replays and retries collapse."""
        return make_event_id("routed", str(item_event_id), status.value)

    @model_validator(mode="after")
    def _hold_matches_status(self) -> RoutedItem:
        if self.status is RoutedStatus.HELD and self.hold_until is None:
            raise ValueError("a held item needs hold_until (the next opening)")
        return self


class DeadLetter(Event):
    """An input that could not be processed, with the error and the original payload."""

    SCHEMA_NAME: ClassVar[str] = "DeadLetter"

    schema_version: Literal[1] = Field(default=1, description="Schema version of DeadLetter.")
    source: str = Field(
        min_length=1,
        max_length=200,
        description="Component that rejected it, e.g. ingest.webhook.facebook or router.",
    )
    platform: Platform | None = Field(default=None, description="Platform, when known.")
    source_topic: str | None = Field(default=None, description="Topic it was read from.")
    source_partition: int | None = Field(default=None, description="Partition it was read from.")
    source_offset: int | None = Field(default=None, description="Offset it was read from.")
    error_type: str = Field(min_length=1, max_length=200, description="Exception class name.")
    error: str = Field(min_length=1, max_length=10_000, description="What was wrong, specifically.")
    payload: str = Field(
        description="The original payload: UTF-8 text, or base64 when payload_encoding says so."
    )
    payload_encoding: Literal["utf-8", "base64"] = Field(
        default="utf-8", description="How `payload` is encoded."
    )
    payload_truncated: bool = Field(
        default=False,
        description="True when `payload` holds only the start of the original, so that the "
        "letter fits in one Kafka message; payload_size and payload_sha256 name the original.",
    )
    payload_size: int | None = Field(
        default=None, ge=0, description="Size of the original payload in bytes."
    )
    payload_sha256: str | None = Field(
        default=None,
        pattern=r"^[0-9a-f]{64}$",
        description="SHA-256 (hex) of the original payload, to find it again at its source.",
    )

    @classmethod
    def event_id_for(cls, source: str, payload: bytes) -> uuid.UUID:
        """The same bad payload from the same source is one dead letter, however often seen."""
        return make_event_id("deadletter", source, hashlib.sha256(payload).hexdigest())

    @classmethod
    def from_error(
        cls,
        *,
        source: str,
        error: BaseException,
        raw: bytes,
        now: datetime,
        platform: Platform | None = None,
        topic: str | None = None,
        partition: int | None = None,
        offset: int | None = None,
    ) -> DeadLetter:
        """The dead letter for `raw`, rejected by `source` with `error`.

        The payload is carried verbatim when the letter fits in DEAD_LETTER_MAX_BYTES;
        otherwise only its start is, marked `payload_truncated` with the original's size
        and SHA-256 (a dead letter that cannot be produced would lose the reason too).
        """
        payload, encoding = _payload_text(raw)
        letter = cls(
            event_id=cls.event_id_for(source, raw),
            occurred_at=now,
            source=source,
            platform=platform,
            source_topic=topic,
            source_partition=partition,
            source_offset=offset,
            error_type=type(error).__name__,
            error=(str(error) or type(error).__name__)[:10_000],
            payload=payload,
            payload_encoding=encoding,
            payload_size=len(raw),
            payload_sha256=hashlib.sha256(raw).hexdigest(),
        )
        size = len(letter.to_bytes())
        if size <= DEAD_LETTER_MAX_BYTES:
            return letter
        budget = DEAD_LETTER_MAX_BYTES - (size - len(_json_string(payload))) - 64
        return letter.model_copy(
            update={"payload": _fitting_payload(raw, encoding, budget), "payload_truncated": True}
        )


# Kafka's default largest message is 1 MiB (producers' max.request.size 1_048_576, the
# broker's message.max.bytes 1_048_588); the project keeps both defaults. A dead letter stays
# well below, leaving room for the key, headers and record framing.
DEAD_LETTER_MAX_BYTES = 900_000


def _payload_text(raw: bytes) -> tuple[str, Literal["utf-8", "base64"]]:
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return base64.b64encode(raw).decode("ascii"), "base64"


def _json_string(text: str) -> bytes:
    return json.dumps(text, ensure_ascii=False).encode("utf-8")


def _fitting_payload(raw: bytes, encoding: str, budget: int) -> str:
    """The longest-found prefix of `raw` whose JSON string encoding is within `budget` bytes.

    Escapes make the encoded size up to 6x the raw size, so the prefix shrinks in
    proportion until it fits (a few rounds at most).
    """
    keep = min(len(raw), max(budget, 0))
    while True:
        head = raw[:keep]
        text = (
            head.decode("utf-8", errors="ignore")  # drops only a character cut in half
            if encoding == "utf-8"
            else base64.b64encode(head).decode("ascii")
        )
        encoded = len(_json_string(text))
        if encoded <= budget or keep == 0:
            return text
        keep = min(keep - 1, keep * budget // encoded)


class Campaign(Event):
    """A tracked campaign hashtag; the compacted campaigns topic holds the latest per id."""

    SCHEMA_NAME: ClassVar[str] = "Campaign"

    schema_version: Literal[1] = Field(default=1, description="Schema version of Campaign.")
    campaign_id: str = Field(
        pattern=r"^[a-z0-9][a-z0-9-]{0,99}$", description="Stable slug; the topic key."
    )
    name: str = Field(min_length=1, max_length=200, description="Campaign name.")
    hashtag: str = Field(description="Tracked hashtag, without '#'. Matched case-insensitively.")
    owner_queue: str = Field(pattern=QUEUE_PATTERN, description="Queue that owns the campaign.")
    start_date: date = Field(
        description="First day counted (UK calendar date): items created on or after it match."
    )
    end_date: date | None = Field(
        default=None, description="Last day counted (inclusive); open-ended when absent."
    )
    active: bool = Field(default=True, description="False when the campaign was withdrawn.")

    @field_validator("hashtag")
    @classmethod
    def _strip_hash(cls, value: str) -> str:
        tag = value.removeprefix("#")
        if not _HASHTAG.match(tag):
            raise ValueError("hashtag must be one word without spaces, e.g. 'NHSCareers'")
        return tag

    @model_validator(mode="after")
    def _dates_in_order(self) -> Campaign:
        if self.end_date is not None and self.end_date < self.start_date:
            raise ValueError("end_date must not be before start_date")
        return self


class Reply(Event):
    """A reply written by staff, to be published to the platform by the outbox publisher."""

    SCHEMA_NAME: ClassVar[str] = "Reply"

    schema_version: Literal[1] = Field(default=1, description="Schema version of Reply.")
    reply_id: uuid.UUID = Field(
        description="Id the API gave the reply; the event id derives from it."
    )
    item_event_id: uuid.UUID = Field(description="Event id of the inbox item replied to.")
    platform: Platform = Field(description="Platform to publish on.")
    channel_id: str = Field(min_length=1, description="Account to reply from.")
    in_reply_to: str = Field(min_length=1, description="Platform id of the item replied to.")
    text: str = Field(min_length=1, max_length=10_000, description="Reply text, plain Unicode.")
    author: str = Field(min_length=1, max_length=200, description="Who wrote it (token name).")
    queue: str | None = Field(
        default=None,
        pattern=QUEUE_PATTERN,
        description="The item's queue when the reply was made; the publisher's outcome events "
        "carry it (absent: the channel's owner queue from the registry).",
    )
    thread_id: str | None = Field(
        default=None,
        max_length=200,
        description="Platform id of the root content (post, video, photo) when known; Flickr "
        "comments are posted on the photo.",
    )

    @classmethod
    def event_id_for(cls, reply_id: uuid.UUID) -> uuid.UUID:
        """Event id of a reply."""
        return make_event_id("reply", str(reply_id))
