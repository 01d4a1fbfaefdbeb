"""Apply Alembic migrations programmatically: no alembic.ini is needed anywhere."""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    """An Alembic config pointing at our scripts, carrying the engine (not a URL string).

    Passing the engine avoids configparser interpolation of '%' in passwords.
    """
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head", *, verbose: bool = False) -> None:
    """Bring the database schema up to `revision` (default: the latest).

    Alembic's INFO lines (nine per call, even with nothing to do) are shown only with
    `verbose` or when SWITCHBOARD_LOG_LEVEL=DEBUG: a CLI command should print its answer only.
    """
    quiet = not verbose and not logging.getLogger().isEnabledFor(logging.DEBUG)
    alembic_log = logging.getLogger("alembic")
    previous = alembic_log.level
    if quiet:
        alembic_log.setLevel(logging.WARNING)
    try:
        command.upgrade(alembic_config(engine), revision)
    finally:
        alembic_log.setLevel(previous)


def pending(engine: Engine) -> list[str]:
    """Revisions not yet applied (empty when the schema is current)."""
    script = ScriptDirectory.from_config(alembic_config(engine))
    with engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
    return [
        rev.revision
        for rev in script.walk_revisions()
        if rev.revision not in current and not _is_ancestor(script, rev.revision, current)
    ]


def _is_ancestor(script: ScriptDirectory, revision: str, heads: set[str]) -> bool:
    for head in heads:
        if revision in {r.revision for r in script.iterate_revisions(head, "base")}:
            return True
    return False
