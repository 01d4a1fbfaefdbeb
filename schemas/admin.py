"""Admin events: changes to who may do what, and to what the router tracks.

They travel on `inbox.admin.v1` (one partition, keyed by the subject: a token name, a
campaign id, a user's email), so the audit log can show them beside the work events and
`switchboard api rebuild` can restore tokens, campaigns and users from the log. Written by the
API and the CLI through the API database's transactional outbox.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from schemas.envelope import Event, make_event_id
from schemas.events import QUEUE_PATTERN
from schemas.work import ActorKind

_NAME = 200
_SCOPE = 100


class _Detail(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TokenCreated(_Detail):
    """An API bearer token was made.

    Carries the SHA-256 of the secret (never the secret): a 256-bit random token cannot be
    recovered from it, and rebuild needs it to restore the token.
    """

    type: Literal["token_created"] = "token_created"
    name: str = Field(min_length=1, max_length=_NAME, description="The token's name.")
    role: str = Field(pattern=r"^(admin|team|lead)$", description="admin, team or lead.")
    queues: list[str] = Field(default_factory=list, max_length=_SCOPE, description="Team scope.")
    channels: list[str] = Field(default_factory=list, max_length=_SCOPE, description="Lead scope.")
    approver_queues: list[str] = Field(
        default_factory=list, max_length=_SCOPE, description="Queues whose replies it approves."
    )
    token_hash: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 hex of the secret.")


class TokenRevoked(_Detail):
    """A token stopped authenticating."""

    type: Literal["token_revoked"] = "token_revoked"
    name: str = Field(min_length=1, max_length=_NAME, description="The token's name.")


class CampaignChanged(_Detail):
    """A campaign was created or changed; the full campaign as it now is."""

    type: Literal["campaign_changed"] = "campaign_changed"
    campaign_id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,99}$", description="Its slug.")
    name: str = Field(min_length=1, max_length=200, description="Campaign name.")
    hashtag: str = Field(min_length=1, max_length=140, description="Hashtag without '#'.")
    owner_queue: str = Field(pattern=QUEUE_PATTERN, description="Owning queue.")
    start_date: date = Field(description="First day counted.")
    end_date: date | None = Field(default=None, description="Last day counted, if any.")
    active: bool = Field(default=True, description="False when withdrawn.")
    created: bool = Field(description="True for a new campaign, False for a change.")


class UserCreated(_Detail):
    """A person was given a sign-in to the web page."""

    type: Literal["user_created"] = "user_created"
    email: str = Field(min_length=3, max_length=_NAME, description="Their email (the actor id).")
    role: str = Field(min_length=1, max_length=20, description="Their role.")
    queues: list[str] = Field(default_factory=list, max_length=_SCOPE, description="Queues.")
    channels: list[str] = Field(default_factory=list, max_length=_SCOPE, description="Channels.")
    approver_queues: list[str] = Field(
        default_factory=list, max_length=_SCOPE, description="Queues whose replies they approve."
    )


class UserDisabled(_Detail):
    """A person's sign-in was disabled."""

    type: Literal["user_disabled"] = "user_disabled"
    email: str = Field(min_length=3, max_length=_NAME, description="Their email.")
    reason: str | None = Field(default=None, max_length=2000, description="Why.")


AdminDetail = Annotated[
    TokenCreated | TokenRevoked | CampaignChanged | UserCreated | UserDisabled,
    Field(discriminator="type"),
]


class AdminEvent(Event):
    """One change to tokens, users or campaigns, by a person, a token or a service."""

    SCHEMA_NAME: ClassVar[str] = "AdminEvent"

    schema_version: Literal[1] = Field(default=1, description="Schema version of AdminEvent.")
    subject: str = Field(
        min_length=1,
        max_length=_NAME,
        description="What changed (token name, campaign id, email); the topic key.",
    )
    actor_kind: ActorKind = Field(description="Whether a person, a token or a service did it.")
    actor: str = Field(min_length=1, max_length=_NAME, description="Who did it.")
    command_id: uuid.UUID = Field(description="Id of the command; a retry keeps it.")
    detail: AdminDetail = Field(description="What changed; `detail.type` names it.")

    @property
    def action(self) -> str:
        """The change's name, e.g. token_created."""
        return self.detail.type

    @classmethod
    def create(
        cls,
        *,
        subject: str,
        actor_kind: ActorKind,
        actor: str,
        command_id: uuid.UUID,
        detail: AdminDetail,
        occurred_at: datetime,
    ) -> AdminEvent:
        """Build an admin event whose id derives from the command, action and subject."""
        return cls(
            event_id=make_event_id("admin", str(command_id), detail.type, subject),
            occurred_at=occurred_at,
            subject=subject,
            actor_kind=actor_kind,
            actor=actor,
            command_id=command_id,
            detail=detail,
        )
