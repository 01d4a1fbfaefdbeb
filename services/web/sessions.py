"""Server-side sessions: the cookie carries a random secret; the table keeps its SHA-256.

Signing out, disabling a user, or expiry ends a session at once: every request looks the
session up (no signed, self-contained cookie that stays valid until it expires).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from services.api.auth import hash_token
from services.web.models import User, WebSession


@dataclass(frozen=True)
class SessionInfo:
    """A live session: whose it is and the CSRF token its forms must send back."""

    user: User
    csrf_token: str


def start(session: Session, *, user: User, now: datetime, ttl: timedelta) -> str:
    """Create a session for `user`; returns the cookie's secret (stored only hashed)."""
    assert user.id is not None
    secret = secrets.token_urlsafe(32)
    session.add(
        WebSession(
            token_hash=hash_token(secret),
            user_id=user.id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            expires_at=now + ttl,
        )
    )
    session.commit()
    return secret


def lookup(session: Session, *, secret: str, now: datetime) -> SessionInfo | None:
    """The live session of a cookie secret, or None (unknown, ended, expired, user disabled)."""
    if not secret or len(secret) > 100:
        return None
    row = session.exec(
        select(WebSession, User)
        .join(User, User.id == WebSession.user_id)  # type: ignore[arg-type]
        .where(WebSession.token_hash == hash_token(secret))
    ).first()
    if row is None:
        return None
    web_session, user = row
    if web_session.ended_at is not None or web_session.expires_at <= now:
        return None
    if user.disabled_at is not None:
        return None
    return SessionInfo(user=user, csrf_token=web_session.csrf_token)


def end(session: Session, *, secret: str, now: datetime) -> None:
    """Sign out: the session stops working (a no-op for an unknown secret)."""
    row = session.exec(
        select(WebSession).where(WebSession.token_hash == hash_token(secret))
    ).first()
    if row is not None and row.ended_at is None:
        row.ended_at = now
        session.add(row)
        session.commit()
