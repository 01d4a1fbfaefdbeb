"""`switchboard router ...`: the routing worker and the explain / dry-run command."""

from __future__ import annotations

import logging
from pathlib import Path

import typer

app = typer.Typer(help="Route inbox items to queues; hold them out of hours.", no_args_is_help=True)


@app.command()
def worker() -> None:
    """Run the faust routing worker (settings: SWITCHBOARD_ROUTER_*, SWITCHBOARD_KAFKA_*)."""
    from services.router.bootstrap import bootstrap
    from services.router.worker import run

    level = logging.getLevelName(logging.getLogger().level)
    run(bootstrap(), loglevel=level)


@app.command("decide")
def decide_command(
    now: str | None = typer.Option(
        None, "--now", help="Decide at this ISO-8601 instant (with offset); default: created_at."
    ),
    campaigns: Path | None = typer.Option(
        None, "--campaigns", help="Tracked campaigns, JSON lines (Campaign or minimal form)."
    ),
    registry: Path | None = typer.Option(
        None, "--registry", help="Channel registry YAML (default: SWITCHBOARD_REGISTRY_PATH)."
    ),
) -> None:
    """Explain routing: InboxItem (or minimal) JSON lines on stdin, one decision per line out.

    Minimal form: {"platform", "channel", "created_at", "text"}; channel is the registry id,
    handle or URL (any case). Bad lines are reported on stderr with their line number and the
    command exits 2 after processing the rest.
    """
    import json
    import sys

    from schemas.registry import RegistryError, load_registry
    from services.common.settings import PathSettings
    from services.router.domain.calendar import build_calendars
    from services.router.explain import InputLineError, explain, load_campaigns, parse_instant

    try:
        at = parse_instant(now) if now else None
        reg = load_registry(registry or PathSettings().registry_path)
        tracked = load_campaigns(campaigns) if campaigns else []
    except (InputLineError, RegistryError, OSError) as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(2) from err
    failed = False
    results = explain(
        sys.stdin, registry=reg, campaigns=tracked, calendars=build_calendars(reg), now=at
    )
    for result in results:
        if result.error is not None:
            failed = True
            typer.echo(f"line {result.line}: {result.error}", err=True)
        else:
            typer.echo(json.dumps(result.decision, ensure_ascii=False))
    if failed:
        raise typer.Exit(2)
