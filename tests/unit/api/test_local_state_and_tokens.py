"""Small edges: reserved token names, the revoke help, owner-only local state."""

from __future__ import annotations

import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import Session
from typer.testing import CliRunner

from schemas.registry import ChannelRegistry
from services.api.auth import Role, TokenError
from services.api.cli import tokens_app
from services.api.db import make_engine
from services.api.migrate import upgrade
from services.api.tokens import create_token
from services.ingest.pollers.cursor import CursorStore

NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("name", ["router", "Projector", " publisher ", "sla"])
def test_a_token_cannot_take_a_service_name(
    tmp_path: Path, registry: ChannelRegistry, name: str
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'api.db'}")
    upgrade(engine)
    with Session(engine) as session, pytest.raises(TokenError, match="Switchboard service"):
        create_token(session, name=name, role=Role.ADMIN, registry=registry, now=NOW)
    engine.dispose()


def test_revoke_help_tells_the_truth_about_the_cache() -> None:
    r = CliRunner().invoke(tokens_app, ["revoke", "--help"])
    assert r.exit_code == 0
    text = " ".join(r.stdout.split())
    assert "at once" not in text
    assert "SWITCHBOARD_API_AUTH_CACHE_TTL_S" in text


def test_sqlite_database_is_owner_only(tmp_path: Path) -> None:
    db = tmp_path / "state" / "switchboard.db"
    db.parent.mkdir()
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    with engine.connect():
        pass
    assert mode(db) == 0o600
    for extra in (db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        if extra.exists():
            assert mode(extra) == 0o600, extra
    engine.dispose()


def test_poll_cursors_are_owner_only(tmp_path: Path) -> None:
    store = CursorStore(tmp_path / "ingest" / "cursors.sqlite3")
    store.set("k", "v", now=NOW)
    assert mode(tmp_path / "ingest") == 0o700
    assert mode(store.path) == 0o600
