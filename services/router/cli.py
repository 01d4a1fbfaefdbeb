"""`switchboard router ...`: the routing worker and the explain / dry-run command."""

from __future__ import annotations

import typer

app = typer.Typer(help="Route inbox items to queues; hold them out of hours.", no_args_is_help=True)
