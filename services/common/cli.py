"""Operator commands for the local broker and topics: `switchboard kafka ...`, `topics ...`."""

from __future__ import annotations

import time

import typer

from services.common.kafka_admin import BrokerUnavailableError, create_topics
from services.common.local_kafka import LocalKafka, LocalKafkaError
from services.common.settings import KafkaSettings, LocalBrokerSettings, PathSettings

kafka_app = typer.Typer(help="Run a local single-node Kafka broker (KRaft, 127.0.0.1).")
topics_app = typer.Typer(help="Kafka topics from the shared definitions in schemas/.")


def local_kafka() -> LocalKafka:
    """The local broker, configured from settings."""
    return LocalKafka(home=PathSettings().data_dir / "kafka", settings=LocalBrokerSettings())


@kafka_app.command("up")
def kafka_up() -> None:
    """Start the broker (fetching its jars on first use); no-op when already running."""
    broker = local_kafka()
    fetching = not broker.jars_present()
    if fetching:
        typer.echo("Fetching Kafka from Maven Central (first run only)...", err=True)
    started = time.monotonic()
    try:
        status, started_now = broker.up()
    except LocalKafkaError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(1) from err
    if started_now:
        took = time.monotonic() - started
        typer.echo(
            f"Kafka started: listening on {status.bootstrap} (pid {status.pid}, {took:.1f}s)"
        )
    else:
        typer.echo(f"Kafka already running: listening on {status.bootstrap} (pid {status.pid})")


@kafka_app.command("down")
def kafka_down() -> None:
    """Stop the broker; no-op when it is not running."""
    stopped = local_kafka().down()
    typer.echo("Kafka stopped" if stopped else "Kafka was not running")


@kafka_app.command("status")
def kafka_status() -> None:
    """Say whether the broker runs and answers; exit 1 when it is not ready."""
    status = local_kafka().status()
    if status.ready:
        typer.echo(f"Kafka running and ready on {status.bootstrap} (pid {status.pid})")
        return
    if status.running:
        typer.echo(f"Kafka process {status.pid} running but not answering on {status.bootstrap}")
    else:
        typer.echo("Kafka not running")
    raise typer.Exit(1)


@topics_app.command("create")
def topics_create() -> None:
    """Create every topic from the shared definitions; existing topics are left alone."""
    kafka = KafkaSettings()
    try:
        results = create_topics(
            kafka.bootstrap_servers,
            prefix=kafka.topic_prefix,
            replication_factor=kafka.replication_factor,
        )
    except BrokerUnavailableError as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(1) from err
    for r in results:
        typer.echo(f"{r.name}: {'created' if r.created else 'exists'}")
