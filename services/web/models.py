"""Tables of the team pages: people who sign in, and their server-side sessions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from services.api.db import UtcDateTime


class User(SQLModel, table=True):
    """A person who signs in to the pages, with the same kinds of scope as a token."""

    __tablename__ = "web_user"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=320, unique=True, description="Lower-cased; the sign-in name.")
    name: str = Field(max_length=200, description="Display name.")
    role: str = Field(max_length=10, description="admin, team or lead (as tokens).")
    queues: list[str] = Field(default_factory=list, sa_type=JSON)
    channels: list[str] = Field(default_factory=list, sa_type=JSON)
    approves: list[str] = Field(
        default_factory=list, sa_type=JSON, description="Queues whose replies this user approves."
    )
    password_hash: str | None = Field(
        default=None, max_length=500, description="Argon2id; null for single sign-on only."
    )
    created_at: datetime = Field(sa_type=UtcDateTime)
    disabled_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class WebSession(SQLModel, table=True):
    """A signed-in browser. Only the SHA-256 of the cookie's secret is stored."""

    __tablename__ = "web_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="web_user.id", index=True)
    csrf_token: str = Field(max_length=100, description="Sent back with every unsafe request.")
    created_at: datetime = Field(sa_type=UtcDateTime)
    expires_at: datetime = Field(sa_type=UtcDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
