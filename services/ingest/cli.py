"""`switchboard ingest ...`: webhook server, pollers, replay and the dry-run normaliser."""

from __future__ import annotations

import typer

app = typer.Typer(help="Ingest platform payloads into Kafka.", no_args_is_help=True)
