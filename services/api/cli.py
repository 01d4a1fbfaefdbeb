"""`switchboard api ...` and `switchboard tokens ...`: the queue API, projector and tokens.

Heavy modules (SQLModel, Alembic, uvicorn, the app) are imported inside the commands: the
`switchboard` CLI imports every sub-CLI, and `switchboard router worker` should not pay for them.
"""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType
from typing import TYPE_CHECKING

import typer

from services.common.clock import utc_now

if TYPE_CHECKING:
    from sqlmodel import Session

app = typer.Typer(help="The queue API and its projector.", no_args_is_help=True)
tokens_app = typer.Typer(help="API bearer tokens.", no_args_is_help=True)

logger = logging.getLogger(__name__)


@app.command("migrate")
def migrate(
    verbose: bool = typer.Option(False, "--verbose", help="Show Alembic's log lines."),
) -> None:
    """Apply pending database migrations (serve does this too)."""
    from services.api.bootstrap import database_engine
    from services.api.migrate import upgrade

    upgrade(database_engine(), verbose=verbose)
    typer.echo("database schema is current", err=True)


@app.command("serve")
def serve(
    host: str = typer.Option(None, "--host", help="Interface (default SWITCHBOARD_API_HOST)."),
    port: int = typer.Option(None, "--port", help="Port (default SWITCHBOARD_API_PORT)."),
) -> None:
    """Apply pending migrations, then serve the API with uvicorn."""
    import uvicorn

    from services.api.app import create_app
    from services.api.bootstrap import build_context
    from services.api.migrate import upgrade

    ctx = build_context()
    upgrade(ctx.engine)
    try:
        uvicorn.run(
            create_app(ctx),
            host=host or ctx.settings.host,
            port=port or ctx.settings.port,
            log_config=None,
        )
    finally:
        ctx.publisher.close()


@app.command("project")
def project() -> None:
    """Run the projector: inbox.routed.v1 into the database, until SIGINT/SIGTERM."""
    from services.api.bootstrap import api_publisher, build_projector, database_engine
    from services.api.migrate import upgrade
    from services.api.settings import ApiSettings
    from services.common.settings import KafkaSettings

    settings, kafka = ApiSettings(), KafkaSettings()
    engine = database_engine()
    upgrade(engine)
    publisher = api_publisher(settings, kafka)
    projector = build_projector(engine=engine, publisher=publisher, settings=settings, kafka=kafka)
    try:
        projector.run(stop=_stop_on_signals())
    finally:
        projector.close()
        publisher.close()


def _stop_on_signals() -> threading.Event:
    stop = threading.Event()

    def _stop(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    return stop


@app.command("relay")
def relay() -> None:
    """Run the outbox relay: committed outbox rows to Kafka, in order, until SIGINT/SIGTERM."""
    from services.api.bootstrap import build_relay, database_engine
    from services.api.migrate import upgrade

    engine = database_engine()
    upgrade(engine)
    worker = build_relay(engine=engine)
    try:
        worker.run(stop=_stop_on_signals())
    finally:
        worker.close()


@app.command("rebuild")
def rebuild(
    database_url: str = typer.Option(
        ..., "--database-url", help="The FRESH database to build (SQLAlchemy URL)."
    ),
) -> None:
    """Build a fresh database from the topics; print the counts (JSON).

    It stops once caught up with the end offsets it saw at start.
    """
    import json

    from services.api.db import make_engine
    from services.api.migrate import upgrade
    from services.api.rebuild import NotEmptyError
    from services.api.rebuild import rebuild as run_rebuild
    from services.common.settings import KafkaSettings

    engine = make_engine(database_url)
    try:
        upgrade(engine)
        result = run_rebuild(engine=engine, kafka=KafkaSettings(), clock=utc_now)
    except NotEmptyError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(1) from err
    finally:
        engine.dispose()
    typer.echo(json.dumps(result.as_dict(), sort_keys=True))


def _session() -> Session:
    from sqlmodel import Session

    from services.api.bootstrap import database_engine
    from services.api.migrate import upgrade

    engine = database_engine()
    upgrade(engine)
    return Session(engine)


@tokens_app.command("create")
def tokens_create(
    name: str = typer.Option(..., "--name", help="Person or integration the token is for."),
    role: str = typer.Option(None, "--role", help="'admin' (all queues and channels)."),
    queue: list[str] = typer.Option(None, "--queue", help="A team token for these queues."),
    channel: list[str] = typer.Option(None, "--channel", help="A lead token for these channels."),
    approver: list[str] = typer.Option(
        None, "--approver", help="Queues whose held replies this token may approve or reject."
    ),
) -> None:
    """Create a token and print ONLY the token on stdout (it is never shown again)."""
    from schemas.registry import RegistryError
    from services.api.auth import Role, TokenError
    from services.api.bootstrap import registry_from_settings
    from services.api.tokens import create_token

    if role is not None and role != Role.ADMIN.value:
        typer.echo("error: --role accepts only 'admin' (use --queue or --channel)", err=True)
        raise typer.Exit(2)
    queues, channels = list(queue or []), list(channel or [])
    effective = Role.ADMIN if role else Role.TEAM if queues else Role.LEAD
    try:
        registry = registry_from_settings()
        with _session() as session:
            secret = create_token(
                session,
                name=name,
                role=effective,
                queues=queues,
                channels=channels,
                registry=registry,
                now=utc_now(),
                approver_queues=list(approver or []),
            )
    except (TokenError, RegistryError) as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(1) from err
    typer.echo(secret)


@tokens_app.command("list")
def tokens_list() -> None:
    """List tokens: name, role, scope, created, revoked (never the token or its hash)."""
    from services.api.tokens import list_tokens

    with _session() as session:
        for row in list_tokens(session):
            scope = ",".join(row.queues or row.channels) or "*"
            revoked = row.revoked_at.isoformat() if row.revoked_at else "-"
            typer.echo(f"{row.name}\t{row.role}\t{scope}\t{row.created_at.isoformat()}\t{revoked}")


@tokens_app.command("revoke")
def tokens_revoke(name: str = typer.Option(..., "--name", help="Token to revoke.")) -> None:
    """Revoke a token by name: stored as revoked now, never valid again.

    A running API process may still accept it for up to SWITCHBOARD_API_AUTH_CACHE_TTL_S
    seconds (default 5): each process caches a token's answer that long. Restart the API
    processes to make the revocation immediate.
    """
    from services.api.auth import TokenError
    from services.api.tokens import revoke_token

    try:
        with _session() as session:
            revoke_token(session, name=name, now=utc_now())
    except TokenError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(1) from err
    typer.echo(f"revoked {name}", err=True)
