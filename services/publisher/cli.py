"""`switchboard publisher run`: the outbox publisher process."""

from __future__ import annotations

import asyncio
import signal

import typer

app = typer.Typer(help="Publish replies to the platforms and apply moderation.")


@app.command("run")
def run() -> None:
    """Consume outbox.replies.v1 and inbox.work.v1 until SIGTERM or Ctrl-C."""
    from services.publisher.adapters.credentials import CredentialsError
    from services.publisher.bootstrap import build_publisher
    from services.publisher.settings import PublisherConfig

    try:
        publisher = build_publisher(PublisherConfig.from_env())
    except CredentialsError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(1) from err

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await publisher.run(stop)

    asyncio.run(main())
