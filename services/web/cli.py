"""`switchboard users ...`: people who sign in to the team pages."""

from __future__ import annotations

import secrets
import sys

import typer

from services.common.clock import utc_now

app = typer.Typer(help="People who sign in to the team pages.", no_args_is_help=True)


def _password(*, stdin: bool, generate: bool) -> tuple[str, bool]:
    """The new password, and whether it was generated (and so must be shown once)."""
    if stdin and generate:
        typer.echo("error: give at most one of --password-stdin and --generate-password", err=True)
        raise typer.Exit(2)
    if generate:
        return secrets.token_urlsafe(15), True
    if stdin:
        return sys.stdin.readline().rstrip("\r\n"), False
    value: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return value, False


@app.command("create")
def create(
    email: str = typer.Option(..., "--email", help="Sign-in e-mail address."),
    name: str = typer.Option(..., "--name", help="Display name."),
    role: str = typer.Option(None, "--role", help="'admin' (everything)."),
    queue: list[str] = typer.Option(None, "--queue", help="A team member of these queues."),
    channel: list[str] = typer.Option(None, "--channel", help="A local lead of these channels."),
    approver: list[str] = typer.Option(
        None, "--approver", help="Approves replies of these queues (works them too)."
    ),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from the first line of stdin."
    ),
    generate_password: bool = typer.Option(
        False, "--generate-password", help="Generate one and print it (only) on stdout, once."
    ),
) -> None:
    """Create a user. Without --password-stdin or --generate-password, prompts (hidden)."""
    from sqlmodel import Session

    from schemas.registry import RegistryError
    from services.api.auth import Role
    from services.api.bootstrap import database_engine, registry_from_settings
    from services.api.migrate import upgrade
    from services.web.users import UserError, create_user, new_user

    if role is not None and role != Role.ADMIN.value:
        typer.echo("error: --role accepts only 'admin' (use --queue, --channel or --approver)",
                   err=True)  # fmt: skip
        raise typer.Exit(2)
    queues, channels, approves = list(queue or []), list(channel or []), list(approver or [])
    kind = Role.ADMIN if role else Role.LEAD if channels else Role.TEAM
    password, generated = _password(stdin=password_stdin, generate=generate_password)
    try:
        registry = registry_from_settings()
        user = new_user(email=email, name=name, role=kind, queues=queues, channels=channels,
                        approves=approves, password=password, registry=registry,
                        now=utc_now())  # fmt: skip
        engine = database_engine()
        upgrade(engine)
        with Session(engine) as session:
            create_user(session, user=user)
    except (UserError, RegistryError) as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(1) from err
    if generated:
        typer.echo(password)
    typer.echo(f"created user {user.email}", err=True)


@app.command("list")
def list_() -> None:
    """List users: e-mail, name, role, scope, approves, disabled (never password hashes)."""
    from sqlmodel import Session

    from services.api.bootstrap import database_engine
    from services.api.migrate import upgrade
    from services.web.users import list_users

    engine = database_engine()
    upgrade(engine)
    with Session(engine) as session:
        for u in list_users(session):
            scope = ",".join(u.queues or u.channels) or "*"
            off = u.disabled_at.isoformat() if u.disabled_at else "-"
            typer.echo(f"{u.email}\t{u.name}\t{u.role}\t{scope}\t{','.join(u.approves)}\t{off}")


@app.command("disable")
def disable(email: str = typer.Option(..., "--email", help="User to disable.")) -> None:
    """Stop a user signing in; their sessions end at once."""
    from sqlmodel import Session

    from services.api.bootstrap import database_engine
    from services.api.migrate import upgrade
    from services.web.users import UserError, disable_user

    engine = database_engine()
    upgrade(engine)
    try:
        with Session(engine) as session:
            disable_user(session, email=email, now=utc_now())
    except UserError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(1) from err
    typer.echo(f"disabled {email}", err=True)
