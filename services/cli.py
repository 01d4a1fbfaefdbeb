"""`switchboard`: the one command-line entrypoint for operators."""

from __future__ import annotations

import typer

from services.api.cli import app as api_app
from services.api.cli import tokens_app
from services.common.cli import kafka_app, topics_app
from services.common.logging import configure_logging
from services.guidance.cli import app as replies_app
from services.ingest.cli import app as ingest_app
from services.publisher.cli import app as publisher_app
from services.report.cli import app as report_app
from services.router.calendar_cli import app as calendar_app
from services.router.cli import app as router_app
from services.sandbox.cli import app as sandbox_app
from services.sla.cli import app as sla_app
from services.supervisor.cli import down, up
from services.web.cli import app as users_app

app = typer.Typer(
    help="Switchboard: social-media inbox routing. Run a command with --help for details.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(kafka_app, name="kafka")
app.add_typer(topics_app, name="topics")
app.add_typer(ingest_app, name="ingest")
app.add_typer(router_app, name="router")
app.add_typer(calendar_app, name="calendar")
app.add_typer(sla_app, name="sla")
app.add_typer(report_app, name="report")
app.add_typer(api_app, name="api")
app.add_typer(tokens_app, name="tokens")
app.add_typer(publisher_app, name="publisher")
app.add_typer(sandbox_app, name="sandbox")
app.add_typer(users_app, name="users")
app.add_typer(replies_app, name="replies")
app.command("up")(up)
app.command("down")(down)


@app.callback()
def _root(
    log_level: str = typer.Option("INFO", envvar="SWITCHBOARD_LOG_LEVEL", help="Log level."),
) -> None:
    configure_logging(log_level)


def main() -> None:
    """Console-script entrypoint."""
    app()
