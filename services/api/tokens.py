"""Token management used by `switchboard tokens ...`: create, list, revoke."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, select

from schemas.registry import ChannelRegistry
from services.api.auth import TOKEN_PREFIX, Role, TokenError, hash_token
from services.api.models import ApiToken

# Names of Switchboard's own services, as they appear as actors in an item's history: a
# token may not take one, so history never shows a person's script as the service.
RESERVED_NAMES = frozenset(
    {"api", "guidance", "ingest", "projector", "publisher", "relay", "router", "sla"}
    | {"supervisor", "switchboard", "system"}
)


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


def create_token(
    session: Session,
    *,
    name: str,
    role: Role,
    queues: Sequence[str] = (),
    channels: Sequence[str] = (),
    registry: ChannelRegistry,
    now: datetime,
) -> str:
    """Store a new token and return its secret (the only time it is ever visible)."""
    name = name.strip()
    if not name or len(name) > 200:
        raise TokenError("--name must be 1-200 characters")
    if name.lower() in RESERVED_NAMES:
        raise TokenError(f"--name {name!r} is the name of a Switchboard service: pick another")
    _check_scope(role=role, queues=queues, channels=channels, registry=registry)
    if session.exec(select(ApiToken).where(ApiToken.name == name)).first() is not None:
        raise TokenError(
            f"a token named {name!r} already exists (names are never reused: pick another)"
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(
        ApiToken(
            name=name,
            role=role.value,
            queues=sorted(set(queues)),
            channels=sorted(set(channels)),
            token_hash=hash_token(secret),
            created_at=now,
        )
    )
    session.commit()
    return secret


def list_tokens(session: Session) -> list[ApiToken]:
    """Every token (hashes included; callers must not show them)."""
    return list(session.exec(select(ApiToken).order_by(ApiToken.name)))


def revoke_token(session: Session, *, name: str, now: datetime) -> None:
    """Revoke a token by name; a revoked token no longer authenticates."""
    row = session.exec(select(ApiToken).where(ApiToken.name == name)).first()
    if row is None:
        raise TokenError(f"no token named {name!r}")
    if row.revoked_at is None:
        row.revoked_at = now
        session.add(row)
        session.commit()
