"""People who sign in: create, find, check a password, and what each may see.

A user's scope has the same shape as a token's (services/api/auth.Principal), so every store
and action function serves pages and JSON routes alike. Approvers additionally approve the
replies of the queues in `approves`.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlmodel import Session, select

from schemas.admin import AdminEvent, UserCreated, UserDisabled
from schemas.registry import ChannelRegistry
from schemas.work import ActorKind
from services.api.admin_apply import record_admin
from services.api.auth import Principal, Role, principal_for
from services.api.models import ApiToken
from services.api.tokens import CLI_ACTOR
from services.web.models import User

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}$")
MIN_PASSWORD = 12
MAX_PASSWORD = 1024  # Argon2 accepts more; a bound keeps hashing cost per request bounded.

HASHER = PasswordHash((Argon2Hasher(),))
# A hash of nothing anyone types: checking it for unknown accounts takes as long as a real
# check, so the answer's timing does not tell which e-mail addresses have accounts.
_DUMMY_HASH = HASHER.hash("switchboard: no such account")


class UserError(ValueError):
    """A user cannot be created or changed as asked; the message says why."""


@dataclass(frozen=True)
class WebUser:
    """A signed-in person: who, their scope as a Principal, and what they approve."""

    id: int
    email: str
    name: str
    principal: Principal
    approves: frozenset[str]

    @property
    def is_admin(self) -> bool:
        """Admins see and may do everything, the admin page included."""
        return self.principal.is_admin

    def approves_queue(self, queue: str) -> bool:
        """Whether this user approves replies in `queue`."""
        return self.is_admin or queue in self.approves


def _check_scope(
    *,
    role: Role,
    queues: Sequence[str],
    channels: Sequence[str],
    approves: Sequence[str],
    registry: ChannelRegistry,
) -> None:
    given = sum(bool(x) for x in (role is Role.ADMIN, queues, channels))
    if given > 1 or (given == 0 and not approves):
        raise UserError(
            "give exactly one of --role admin, --queue Q... or --channel C... "
            "(--approver Q... may go with --queue, or alone)"
        )
    if channels and approves:
        raise UserError("a local lead (--channel) cannot also be an approver")
    unknown_q = [q for q in [*queues, *approves] if q not in registry.queues]
    if unknown_q:
        raise UserError(f"unknown queue(s): {', '.join(unknown_q)} (see the channel registry)")
    unknown_c = [c for c in channels if registry.get(c) is None]
    if unknown_c:
        raise UserError(f"unknown channel(s): {', '.join(unknown_c)} (see the channel registry)")


def check_password(password: str) -> None:
    """Refuse passwords too short to resist guessing, or too long to hash cheaply."""
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise UserError(f"a password must be {MIN_PASSWORD}-{MAX_PASSWORD} characters")


def new_user(
    *,
    email: str,
    name: str,
    role: Role,
    queues: Sequence[str] = (),
    channels: Sequence[str] = (),
    approves: Sequence[str] = (),
    password: str | None,
    registry: ChannelRegistry,
    now: datetime,
) -> User:
    """A validated, not yet stored user row (its password hashed with Argon2id).

    An approver with no --queue works the queues they approve.
    """
    email = email.strip().lower()
    name = name.strip()
    if not _EMAIL.match(email) or len(email) > 320:
        raise UserError(f"not an e-mail address: {email!r}")
    if not name or len(name) > 200:
        raise UserError("--name must be 1-200 characters")
    _check_scope(role=role, queues=queues, channels=channels, approves=approves, registry=registry)
    if password is not None:
        check_password(password)
    return User(
        email=email,
        name=name,
        role=role.value,
        queues=sorted(set(queues) or set(approves)) if role is Role.TEAM else [],
        channels=sorted(set(channels)),
        approves=sorted(set(approves)),
        password_hash=HASHER.hash(password) if password is not None else None,
        created_at=now,
    )


def create_user(
    session: Session,
    *,
    user: User,
    actor: str = CLI_ACTOR,
    actor_kind: ActorKind = ActorKind.SERVICE,
) -> User:
    """Store a new user; refuses an e-mail address already taken.

    The row and its UserCreated event (audit log, inbox.admin.v1 through the outbox) are one
    transaction. The event carries the scope, never the password hash.
    """
    if find_user(session, email=user.email) is not None:
        raise UserError(f"a user with e-mail {user.email!r} already exists")
    session.add(user)
    detail = UserCreated(
        email=user.email,
        role=user.role,
        queues=list(user.queues),
        channels=list(user.channels),
        approver_queues=list(user.approves),
    )
    _record(session, subject=user.email, detail=detail, actor=actor, actor_kind=actor_kind,
            now=user.created_at)  # fmt: skip
    session.commit()
    session.refresh(user)
    return user


def find_user(session: Session, *, email: str) -> User | None:
    """A user by e-mail address (case-insensitive)."""
    return session.exec(select(User).where(User.email == email.strip().lower())).first()


def list_users(session: Session) -> list[User]:
    """Every user, by e-mail address."""
    return list(session.exec(select(User).order_by(User.email)))


def disable_user(
    session: Session,
    *,
    email: str,
    now: datetime,
    actor: str = CLI_ACTOR,
    actor_kind: ActorKind = ActorKind.SERVICE,
) -> User:
    """Stop a user signing in; their sessions stop working at once (see sessions.lookup).

    The change and its UserDisabled event are one transaction.
    """
    user = find_user(session, email=email)
    if user is None:
        raise UserError(f"no user with e-mail {email!r}")
    if user.disabled_at is None:
        user.disabled_at = now
        session.add(user)
        _record(session, subject=user.email, detail=UserDisabled(email=user.email),
                actor=actor, actor_kind=actor_kind, now=now)  # fmt: skip
        session.commit()
    return user


def verify_password(session: Session, *, email: str, password: str) -> User | None:
    """The live user whose password this is, or None; same cost whether or not they exist."""
    user = find_user(session, email=email) if len(email) <= 320 else None
    if len(password) > MAX_PASSWORD:
        return None
    if user is None or user.password_hash is None or user.disabled_at is not None:
        HASHER.verify(password, _DUMMY_HASH)
        return None
    return user if HASHER.verify(password, user.password_hash) else None


def web_user(user: User, registry: ChannelRegistry) -> WebUser:
    """A user row as a WebUser: its scope computed exactly as a token's would be."""
    # An ApiToken-shaped row, so scope rules live in one place (principal_for).
    shaped = ApiToken(
        name=user.email,
        role=user.role,
        queues=user.queues,
        channels=user.channels,
        approver_queues=user.approves,
        token_hash="",
        created_at=user.created_at,
    )
    assert user.id is not None
    principal = replace(principal_for(shaped, registry), actor_kind=ActorKind.USER)
    return WebUser(
        id=user.id,
        email=user.email,
        name=user.name,
        principal=principal,
        approves=frozenset(user.approves),
    )


def _record(
    session: Session,
    *,
    subject: str,
    detail: UserCreated | UserDisabled,
    actor: str,
    actor_kind: ActorKind,
    now: datetime,
) -> None:
    event = AdminEvent.create(
        subject=subject,
        actor_kind=actor_kind,
        actor=actor,
        command_id=uuid.uuid4(),
        detail=detail,
        occurred_at=now,
    )
    record_admin(session, event=event, now=now)
