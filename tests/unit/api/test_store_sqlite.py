"""Projection into a SQLite file (no server): idempotency, dead letters, schema, tokens."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine
from sqlmodel import Session, SQLModel, col, select

from schemas.enums import RoutedStatus
from schemas.registry import ChannelRegistry
from services.api.auth import Role, TokenError, authenticate
from services.api.db import make_engine
from services.api.migrate import pending, upgrade
from services.api.models import ApiToken, Item, ItemEvent
from services.api.projector_loop import SOURCE, project_records
from services.api.tokens import create_token, revoke_token
from tests.fixtures.api.events import T0, Rec, inbox_item, routed


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    eng = make_engine(f"sqlite:///{tmp_path / 'u.db'}")
    upgrade(eng)
    return eng


def test_migrations_match_models_and_nothing_pending(engine: Engine) -> None:
    assert pending(engine) == []
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), SQLModel.metadata) == []
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_project_records_is_idempotent_and_dead_letters_bad_input(engine: Engine) -> None:
    item = inbox_item(1)
    records = [
        Rec(routed(item).to_bytes()),
        Rec(routed(item).to_bytes(), offset=1),
        Rec(b"\xff\xfe", offset=2),
        Rec(routed(inbox_item(2), RoutedStatus.HELD).to_bytes(), offset=3),
    ]
    with Session(engine) as session, session.begin():
        applied, letters = project_records(session, records=records, now=T0)
    assert applied == 2
    assert [(d.source, d.payload_encoding, d.source_offset) for d in letters] == [
        (SOURCE, "base64", 2)
    ]
    with Session(engine) as session:
        items = session.exec(select(Item).order_by(col(Item.id))).all()
        assert [(i.status, i.routing_status) for i in items] == [
            ("open", "queued"),
            ("held", "held"),
        ]
        assert all(i.received_at.tzinfo is not None for i in items)
        assert len(session.exec(select(ItemEvent)).all()) == 2


def test_tokens_hashed_scoped_and_revocable(engine: Engine, registry: ChannelRegistry) -> None:
    with Session(engine) as session:
        secret = create_token(
            session,
            name="kss",
            role=Role.LEAD,
            channels=["twitter:hee_kss"],
            registry=registry,
            now=T0,
        )
        principal = authenticate(session, token=secret, registry=registry)
        assert principal is not None
        assert principal.queues == {"local:kent-surrey-sussex"}
        assert principal.sees_item(queue="press", channel_id="twitter:hee_kss")
        assert not principal.sees_item(queue="local:kent-surrey-sussex", channel_id="x")
        stored = session.exec(select(ApiToken.token_hash)).all()
        assert secret not in stored
        with pytest.raises(TokenError, match="already exists"):
            create_token(session, name="kss", role=Role.ADMIN, registry=registry, now=T0)
        with pytest.raises(TokenError, match="unknown queue"):
            create_token(
                session, name="x", role=Role.TEAM, queues=["nope"], registry=registry, now=T0
            )
        with pytest.raises(TokenError, match="exactly one"):
            create_token(session, name="y", role=Role.TEAM, registry=registry, now=T0)
        revoke_token(session, name="kss", now=T0)
        assert authenticate(session, token=secret, registry=registry) is None
