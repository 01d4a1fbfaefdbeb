"""`switchboard api ...` and `switchboard tokens ...`: the queue API, projector and tokens."""

from __future__ import annotations

import typer

app = typer.Typer(help="The queue API and its projector.", no_args_is_help=True)
tokens_app = typer.Typer(help="API bearer tokens.", no_args_is_help=True)
