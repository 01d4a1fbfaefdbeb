"""Token management used by `switchboard tokens ...`: create, list, revoke."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, select

from schemas.admin import AdminEvent, TokenCreated, TokenRevoked
from schemas.registry import ChannelRegistry
from schemas.work import ActorKind
from services.api.admin_apply import record_admin
from services.api.auth import TOKEN_PREFIX, Role, TokenError, hash_token
from services.api.db import next_change
from services.api.models import ApiToken

# Names of Switchboard's own services: a token may not take one, so no audit entry by a token
# can be read as the service's (the entry's actor kind says "token" in any case).
RESERVED_NAMES = frozenset(
    {"router", "publisher", "sla", "projector", "relay", "ingest", "switchboard", "system"}
)
CLI_ACTOR = "switchboard-cli"


def _check_scope(
    *, role: Role, queues: Sequence[str], channels: Sequence[str], registry: ChannelRegistry
) -> None:
    given = sum(bool(x) for x in (role is Role.ADMIN, queues, channels))
    if given != 1:
        raise TokenError("give exactly one of --role admin, --queue Q... or --channel C...")
    unknown_q = [q for q in queues if q not in registry.queues]
    if unknown_q:
        raise TokenError(f"unknown queue(s): {', '.join(unknown_q)} (see the channel registry)")
    unknown_c = [c for c in channels if registry.get(c) is None]
    if unknown_c:
        raise TokenError(f"unknown channel(s): {', '.join(unknown_c)} (see the channel registry)")


def _end_autobegun(session: Session) -> None:
    # A read the caller made began a transaction; end it so ours starts with the writers' lock.
    if session.in_transaction():
        session.commit()


def create_token(
    session: Session,
    *,
    name: str,
    role: Role,
    queues: Sequence[str] = (),
    channels: Sequence[str] = (),
    registry: ChannelRegistry,
    now: datetime,
    approver_queues: Sequence[str] = (),
    actor: str = CLI_ACTOR,
    actor_kind: ActorKind = ActorKind.SERVICE,
) -> str:
    """Store a new token and return its secret (the only time it is ever visible).

    The row and its TokenCreated event are written in one transaction (the outbox).
    """
    name = name.strip()
    if not name or len(name) > 200:
        raise TokenError("--name must be 1-200 characters")
    if name.lower() in RESERVED_NAMES:
        raise TokenError(f"{name!r} is the name of a Switchboard service: pick another")
    _check_scope(role=role, queues=queues, channels=channels, registry=registry)
    unknown = [q for q in approver_queues if q not in registry.queues]
    if unknown:
        raise TokenError(f"unknown approver queue(s): {', '.join(unknown)}")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    detail = TokenCreated(
        name=name,
        role=role.value,
        queues=sorted(set(queues)),
        channels=sorted(set(channels)),
        approver_queues=sorted(set(approver_queues)),
        token_hash=hash_token(secret),
    )
    _end_autobegun(session)
    with session.begin():
        next_change(session)
        if session.exec(select(ApiToken).where(ApiToken.name == name)).first() is not None:
            raise TokenError(
                f"a token named {name!r} already exists (names are never reused: pick another)"
            )
        event = AdminEvent.create(
            subject=name,
            actor_kind=actor_kind,
            actor=actor,
            command_id=uuid.uuid4(),
            detail=detail,
            occurred_at=now,
        )
        record_admin(session, event=event, now=now)
    return secret


def list_tokens(session: Session) -> list[ApiToken]:
    """Every token (hashes included; callers must not show them)."""
    return list(session.exec(select(ApiToken).order_by(ApiToken.name)))


def revoke_token(
    session: Session,
    *,
    name: str,
    now: datetime,
    actor: str = CLI_ACTOR,
    actor_kind: ActorKind = ActorKind.SERVICE,
) -> None:
    """Revoke a token by name; a revoked token no longer authenticates (a TokenRevoked event)."""
    _end_autobegun(session)
    with session.begin():
        next_change(session)
        row = session.exec(select(ApiToken).where(ApiToken.name == name)).first()
        if row is None:
            raise TokenError(f"no token named {name!r}")
        if row.revoked_at is not None:
            return
        event = AdminEvent.create(
            subject=name,
            actor_kind=actor_kind,
            actor=actor,
            command_id=uuid.uuid4(),
            detail=TokenRevoked(name=name),
            occurred_at=now,
        )
        record_admin(session, event=event, now=now)
