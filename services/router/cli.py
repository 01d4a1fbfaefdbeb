"""`switchboard router ...`: the routing worker and the explain / dry-run command."""

from __future__ import annotations

import logging

import typer

app = typer.Typer(help="Route inbox items to queues; hold them out of hours.", no_args_is_help=True)


@app.command()
def worker() -> None:
    """Run the faust routing worker (settings: SWITCHBOARD_ROUTER_*, SWITCHBOARD_KAFKA_*)."""
    from services.common.settings import KafkaSettings, PathSettings
    from services.router.settings import RouterSettings
    from services.router.worker import run_worker

    level = logging.getLevelName(logging.getLogger().level)
    run_worker(router=RouterSettings(), kafka=KafkaSettings(), paths=PathSettings(), loglevel=level)
