"""`switchboard tokens ...`: stdout carries only the token; errors go to stderr."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, select
from typer.testing import CliRunner

from services.api.cli import tokens_app
from services.api.db import make_engine
from services.api.models import ApiToken


def test_tokens_create_list_revoke(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("SWITCHBOARD_DATABASE_URL", url)
    runner = CliRunner()
    made = runner.invoke(tokens_app, ["create", "--name", "alice", "--queue", "press"])
    assert made.exit_code == 0, made.output
    token = made.stdout.strip()
    assert token.startswith("sbt_") and made.stdout == token + "\n"
    with Session(make_engine(url)) as session:
        row = session.exec(select(ApiToken)).one()
    assert (row.name, row.role, row.queues) == ("alice", "team", ["press"])
    assert token not in row.token_hash

    lead = runner.invoke(tokens_app, ["create", "--name", "kss", "--channel", "twitter:hee_kss"])
    assert lead.exit_code == 0
    bad = runner.invoke(tokens_app, ["create", "--name", "x", "--queue", "nowhere"])
    assert bad.exit_code == 1 and bad.stdout == "" and "unknown queue" in bad.stderr
    both = runner.invoke(
        tokens_app, ["create", "--name", "y", "--role", "admin", "--queue", "press"]
    )
    assert both.exit_code == 1 and "exactly one" in both.stderr
    assert runner.invoke(tokens_app, ["create", "--name", "z", "--role", "team"]).exit_code == 2

    listed = runner.invoke(tokens_app, ["list"])
    assert "alice\tteam\tpress" in listed.stdout and "kss\tlead\ttwitter:hee_kss" in listed.stdout
    assert token not in listed.stdout
    assert runner.invoke(tokens_app, ["revoke", "--name", "alice"]).exit_code == 0
    assert runner.invoke(tokens_app, ["revoke", "--name", "nobody"]).exit_code == 1
