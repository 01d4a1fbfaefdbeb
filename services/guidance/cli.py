"""`switchboard replies check`: the guidance verdict on a draft read from stdin, as JSON.

The output is a contract scripts depend on: one JSON object, {"verdict", "findings"}; exit 0
when the check ran (whatever the verdict), 2 on bad arguments, 1 when the lists are invalid.
The checks are imported inside the command: the `switchboard` CLI imports every sub-CLI.
"""

from __future__ import annotations

import sys

import typer

app = typer.Typer(help="Check draft replies against the staff guidance.", no_args_is_help=True)

_BAD_ARGUMENTS = 2


@app.command("check")
def check(
    channel: str = typer.Option(
        ..., "--channel", help="Registry id of the channel the reply goes out on."
    ),
) -> None:
    """Read a draft on stdin; print {"verdict": ..., "findings": [...]} as one JSON object."""
    from schemas.registry import RegistryError
    from services.guidance.bootstrap import build_checker
    from services.guidance.checker import UnknownChannelError
    from services.guidance.domain.draft import MAX_DRAFT_CHARS, DraftTooLongError
    from services.guidance.loader import GuidanceConfigError

    raw = sys.stdin.buffer.read(MAX_DRAFT_CHARS * 4 + 1)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        typer.echo("error: the draft on stdin is not UTF-8", err=True)
        raise typer.Exit(_BAD_ARGUMENTS) from err
    try:
        checker = build_checker()
    except (GuidanceConfigError, RegistryError) as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(1) from err
    try:
        report = checker.check(channel_id=channel, text=text)
    except (UnknownChannelError, DraftTooLongError) as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(_BAD_ARGUMENTS) from err
    typer.echo(report.model_dump_json())
