"""`switchboard sla run`: the response-time timer (settings: SWITCHBOARD_SLA_*)."""

from __future__ import annotations

import signal
import threading

import typer

app = typer.Typer(
    help="Response-time targets: warnings and breaches, on time.", no_args_is_help=True
)


@app.command()
def run() -> None:
    """Read routed and work events, then emit SLA warnings and breaches as they fall due."""
    from services.sla.bootstrap import build_service
    from services.sla.settings import SlaServiceSettings

    stop = threading.Event()

    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    service = build_service(SlaServiceSettings())
    try:
        service.run(stop=stop)
    except KeyboardInterrupt:
        stop.set()
