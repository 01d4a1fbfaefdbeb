"""`switchboard ingest ...`: webhook server, pollers, replay and the dry-run normaliser."""

from __future__ import annotations

import logging
import sys
import time
from datetime import datetime
from pathlib import Path

import typer

from schemas.registry import ChannelRegistry, RegistryError
from services.common.instants import InstantError, parse_instant
from services.common.kafka_publisher import PublishError
from services.ingest.bootstrap import Ingest, bootstrap
from services.ingest.domain import NormaliseError, UnknownPlatformError, normalise, parse_platform
from services.ingest.pipeline import PayloadError, parse_json

app = typer.Typer(help="Ingest platform payloads into Kafka.", no_args_is_help=True)
logger = logging.getLogger(__name__)

ChannelOpt = typer.Option(
    None, "--channel", help="Registry id or account the payload is addressed to (polled formats)."
)
ReceivedOpt = typer.Option(
    None, "--received-at", help="ISO 8601 instant, used when the payload carries no time."
)


def _registry(ingest: Ingest) -> ChannelRegistry:
    try:
        return ingest.registry
    except RegistryError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(2) from err


def _instant(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return parse_instant(value)
    except InstantError as err:
        typer.echo(f"error: --received-at {err}", err=True)
        raise typer.Exit(2) from err


def _one_line(text: str, limit: int = 500) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit] + "..."


@app.command("normalise")
def normalise_cmd(
    platform: str = typer.Option(
        ..., "--platform", help="twitter, facebook, linkedin, instagram, youtube or flickr."
    ),
    channel: str | None = ChannelOpt,
    received_at: str | None = ReceivedOpt,
) -> None:
    """Read one raw payload on stdin; print its InboxItem events as JSON lines (exit 2 on error)."""
    try:
        which = parse_platform(platform)
        payload = parse_json(sys.stdin.buffer.read())
        items = normalise(
            which,
            payload,
            registry=_registry(bootstrap()),
            channel=channel,
            received_at=_instant(received_at),
        )
    except (NormaliseError, UnknownPlatformError) as err:
        typer.echo(f"error: {_one_line(str(err))}", err=True)
        raise typer.Exit(2) from err
    except PayloadError as err:
        typer.echo(f"error: {platform}: <root>: {err}", err=True)
        raise typer.Exit(2) from err
    except ValueError as err:
        detail = _one_line(str(err) or type(err).__name__)
        typer.echo(f"error: {platform}: <root>: payload is not valid JSON: {detail}", err=True)
        raise typer.Exit(2) from err
    for item in items:
        typer.echo(item.model_dump_json())


@app.command("replay")
def replay_cmd(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="JSON-lines file."),
) -> None:
    """Stream a JSON-lines file of raw payloads into Kafka; bad lines become dead letters."""
    from rich.console import Console
    from rich.progress import Progress

    ingest = bootstrap()
    _registry(ingest)
    replayer = ingest.replayer()
    # A byte that is not UTF-8 becomes U+FFFD: that line is dead-lettered, the rest replayed.
    with file.open(encoding="utf-8", errors="replace") as f:
        total = sum(1 for _ in f)
    try:
        with (
            file.open(encoding="utf-8", errors="replace") as lines,
            Progress(console=Console(stderr=True), transient=False) as progress,
        ):
            task = progress.add_task(f"replaying {file.name}", total=total)
            summary = replayer.run(lines, advance=lambda: progress.advance(task))
    except PublishError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(1) from err
    finally:
        ingest.close()
    typer.echo(summary.line())


@app.command("serve")
def serve_cmd(
    host: str | None = typer.Option(None, "--host", help="Interface (default 127.0.0.1)."),
    port: int | None = typer.Option(None, "--port", help="Port (default 8001)."),
) -> None:
    """Run the webhook receiver (Facebook, Instagram, X) over HTTP."""
    import uvicorn

    from services.ingest.webhook import unconfigured

    ingest = bootstrap()
    for name in unconfigured(ingest.webhook_settings):
        logger.warning("%s is not set: the matching webhook refuses every request (503)", name)
    _registry(ingest)
    web = ingest.webhook_app()
    config = ingest.settings.ingest
    try:
        # No access log: Meta's verification GET carries hub.verify_token in the query string.
        uvicorn.run(
            web,
            host=host or config.host,
            port=port or config.port,
            access_log=False,
            log_config=None,
        )
    finally:
        ingest.close()


@app.command("poll")
def poll_cmd(
    once: bool = typer.Option(False, "--once", help="One round over every target, then exit."),
) -> None:
    """Poll YouTube, Flickr, LinkedIn, X mentions and the Facebook/Instagram backfill."""
    ingest = bootstrap()
    config = ingest.settings.ingest
    if not config.poll_targets:
        typer.echo("error: no poll targets: set SWITCHBOARD_INGEST_POLL_TARGETS", err=True)
        raise typer.Exit(1)
    # httpx logs full URLs at INFO, and Flickr's key must travel in the query string.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    _registry(ingest)
    poller = ingest.poller()
    try:
        while True:
            try:
                for r in poller.poll_all(config.poll_targets):
                    status = f"error: {r.error}" if r.error else "ok"
                    status += ", backlog resumes next round" if r.backlog else ""
                    typer.echo(
                        f"{r.target.platform.value} {r.target.channel} {r.target.target}: "
                        f"produced {r.produced}, dead-lettered {r.dead_lettered}, "
                        f"pages {r.pages}, cursor {r.cursor} ({status})"
                    )
            except PublishError as err:
                typer.echo(f"error: {err}", err=True)
                if once:
                    raise typer.Exit(1) from err
            if once:
                return
            time.sleep(config.poll_interval_s)
    finally:
        ingest.close()
        poller.client.close()
