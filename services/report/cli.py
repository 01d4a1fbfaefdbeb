"""`switchboard report monthly`: one month's report, built from the topics, into a folder."""

from __future__ import annotations

from pathlib import Path

import typer

app = typer.Typer(help="Monthly activity reports, built from the event log.", no_args_is_help=True)


@app.command()
def monthly(
    month: str = typer.Option(..., "--month", help="The month, YYYY-MM (UK calendar)."),
    out: Path = typer.Option(..., "--out", help="Folder for report.{html,csv,json,pdf}."),
    queue: str | None = typer.Option(None, "--queue", help="Only this queue's items."),
    channel: str | None = typer.Option(None, "--channel", help="Only this channel's items."),
) -> None:
    """Write report.html, report.csv, report.json and report.pdf for one month."""
    from schemas.registry import RegistryError, load_registry
    from services.report.build import generate
    from services.report.domain.figures import Scope
    from services.report.domain.month import Month, MonthError
    from services.report.settings import ReportServiceSettings
    from services.report.source import read_input

    settings = ReportServiceSettings()
    try:
        the_month = Month.parse(month)
        registry = load_registry(settings.paths.registry_path)
    except (MonthError, RegistryError) as err:
        typer.echo(f"error: {str(err).splitlines()[0]}", err=True)
        raise typer.Exit(2) from err
    if queue and channel:
        typer.echo("error: give --queue or --channel, not both", err=True)
        raise typer.Exit(2)
    if queue and queue not in registry.queues:
        typer.echo(f"error: unknown queue {queue!r}", err=True)
        raise typer.Exit(2)
    if channel and registry.get(channel) is None:
        typer.echo(f"error: unknown channel {channel!r} (use its registry id)", err=True)
        raise typer.Exit(2)
    scope = Scope("queue", queue) if queue else Scope("channel", channel) if channel else Scope()
    data = read_input(settings.kafka)
    paths = generate(data=data, month=the_month, scope=scope, registry=registry, out=out,
                     count_submitted=settings.report.count_submitted)  # fmt: skip
    for fmt in sorted(paths):
        typer.echo(str(paths[fmt]))
