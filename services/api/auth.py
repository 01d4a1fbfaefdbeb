"""Bearer tokens and what each may see. Only a token's SHA-256 is stored; secrets never logged."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from enum import StrEnum

from sqlmodel import Session, select

from schemas.registry import ChannelRegistry
from schemas.work import ActorKind
from services.api.models import ApiToken

TOKEN_PREFIX = "sbt_"  # noqa: S105  (a label that makes leaked tokens greppable)


class Role(StrEnum):
    """What kind of caller a token belongs to."""

    ADMIN = "admin"  # everything
    TEAM = "team"  # the items of its queues (press, digital, triage...)
    LEAD = "lead"  # the items of its channels (a local or programme lead)


class TokenError(ValueError):
    """A token cannot be created or changed as asked; the message says why."""


def hash_token(token: str) -> str:
    """SHA-256 hex of a token: tokens are 256-bit random, so no salt or stretching is needed."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Principal:
    """An authenticated caller and what it may see.

    `queues` are the queues it may list; `item_queues` the queues whose every item it sees;
    `channels` the channels whose every item it sees (and may poll).
    """

    name: str
    role: Role
    queues: frozenset[str]
    item_queues: frozenset[str]
    channels: frozenset[str]
    approver_queues: frozenset[str] = frozenset()
    # A bearer token by default; the web page makes USER principals. History records the kind,
    # so a token called `publisher` is never taken for the publisher service.
    actor_kind: ActorKind = ActorKind.TOKEN

    @property
    def is_admin(self) -> bool:
        """Admins see and may do everything."""
        return self.role is Role.ADMIN

    def sees_item(self, *, queue: str, channel_id: str) -> bool:
        """Whether an item in `queue` on `channel_id` is in scope."""
        return self.is_admin or queue in self.item_queues or channel_id in self.channels

    def may_approve(self, queue: str) -> bool:
        """Whether the caller may approve or reject replies held for approval in `queue`."""
        return self.is_admin or queue in self.approver_queues

    def sees_queue(self, queue: str) -> bool:
        """Whether `queue` is one of the caller's queues."""
        return queue in self.queues

    def sees_channel(self, channel_id: str) -> bool:
        """Whether the caller may poll `channel_id`."""
        return channel_id in self.channels


def principal_for(row: ApiToken, registry: ChannelRegistry) -> Principal:
    """Effective scope of a token against the registry.

    A team sees its queues' items plus every item on channels its queues own; a lead sees
    its channels' items, and its channels' owner queues are its queues (counts and lists in
    them show only its channels' items). An admin sees every queue and channel.
    """
    role = Role(row.role)
    approves = frozenset(row.approver_queues or ())
    if role is Role.ADMIN:
        queues = frozenset(registry.queues)
        return Principal(
            row.name, role, queues, queues, frozenset(c.id for c in registry), approves
        )
    if role is Role.TEAM:
        mine = frozenset(row.queues)
        owned = frozenset(c.id for c in registry if c.queue in mine)
        return Principal(row.name, role, mine, mine, owned, approves)
    channels = frozenset(row.channels)
    queues = frozenset(c.queue for c in registry if c.id in channels)
    return Principal(row.name, role, queues, frozenset(), channels, approves)


def authenticate(session: Session, *, token: str, registry: ChannelRegistry) -> Principal | None:
    """The principal of a live token, or None."""
    return authenticate_digest(session, digest=hash_token(token), registry=registry)


def authenticate_digest(
    session: Session, *, digest: str, registry: ChannelRegistry
) -> Principal | None:
    """The principal of a live token given its SHA-256 hex digest, or None."""
    row = session.exec(select(ApiToken).where(ApiToken.token_hash == digest)).first()
    if row is None or row.revoked_at is not None:
        return None
    if not hmac.compare_digest(row.token_hash, digest):
        return None
    return principal_for(row, registry)
