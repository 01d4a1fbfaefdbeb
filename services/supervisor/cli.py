"""`switchboard up` and `switchboard down`."""

from __future__ import annotations

from datetime import datetime

import typer

from schemas.registry import load_registry
from services.api.settings import ApiSettings
from services.common.clock import utc_now
from services.common.settings import KafkaSettings, PathSettings
from services.publisher.settings import PublisherSettings
from services.supervisor.publisher_local import local_publisher_env
from services.supervisor.run import Supervisor, running_pid
from services.supervisor.secrets import local_webhook_secrets
from services.supervisor.settings import UpSettings
from services.supervisor.stop import stop_everything


def up(
    demo: bool = typer.Option(True, "--demo/--no-demo", help="Feed the demo stream once ready."),
    seed: int = typer.Option(7, help="Demo random seed (same seed, same stream)."),
    demo_start: datetime | None = typer.Option(
        None,
        help="Run the router on a simulated clock starting at this ISO-8601 instant (with "
        "offset), e.g. a Friday 16:55 to watch items be held and released.",
    ),
    demo_speed: float = typer.Option(1.0, help="Simulated seconds per real second."),
    broker: bool = typer.Option(
        True,
        "--broker/--no-broker",
        help="Start the local broker; --no-broker uses SWITCHBOARD_KAFKA_BOOTSTRAP_SERVERS.",
    ),
) -> None:
    """Run the whole pipeline locally until Ctrl-C or `switchboard down`."""
    paths = PathSettings()
    existing = running_pid(paths)
    if existing is not None:
        typer.echo(f"Switchboard is already running (pid {existing}); `make stop` stops it.")
        return
    from services.supervisor.demo_run import ready_actions, write_demo_registry

    run_dir = paths.data_dir / "run"
    env = local_webhook_secrets(run_dir)
    if demo:
        env["SWITCHBOARD_REGISTRY_PATH"] = str(
            write_demo_registry(base=paths.registry_path, run_dir=run_dir)
        )
    up_settings = UpSettings()
    registry = load_registry(env.get("SWITCHBOARD_REGISTRY_PATH", paths.registry_path))
    sandbox_url = f"http://{up_settings.host}:{up_settings.sandbox_port}"
    env.update(local_publisher_env(run_dir=run_dir, sandbox_url=sandbox_url, registry=registry))
    if demo and demo_start is None:
        demo_start = _out_of_hours_start(paths)
    clock = None
    if demo_start is not None:
        if demo_start.tzinfo is None:
            raise typer.BadParameter("--demo-start needs an offset, e.g. 2026-11-20T16:55:00Z")
        from services.supervisor.clock import ClockFile

        clock = ClockFile(run_dir / "clock", start=demo_start, speed=demo_speed)
        env["SWITCHBOARD_ROUTER_CLOCK_FILE"] = str(clock.path)
    kafka = KafkaSettings()
    supervisor = Supervisor(
        up=up_settings,
        paths=paths,
        kafka=kafka,
        env=env,
        projector_group=ApiSettings().projector_group_id(kafka.topic_prefix),
        publisher_group=PublisherSettings().group(kafka.topic_prefix),
        manage_broker=broker,
        demo=demo,
    )
    actions = ready_actions(
        up=up_settings, env=env, run_dir=run_dir, demo=demo, seed=seed, clock=clock
    )
    if clock is None:
        raise typer.Exit(supervisor.run(on_ready=actions))
    with clock:
        raise typer.Exit(supervisor.run(on_ready=actions))


def _out_of_hours_start(paths: PathSettings) -> datetime | None:
    """The last office hours when the press office is closed now (see demo_clock)."""
    from schemas.registry import load_registry
    from services.router.domain.calendar import build_calendars
    from services.supervisor.demo_clock import last_office_hours

    registry = load_registry(paths.registry_path)
    name, _spec = registry.calendar_for_queue("press")
    now = utc_now()
    start = last_office_hours(build_calendars(registry)[name], now=now)
    if start is not None:
        at = start.strftime("%a %d %b %H:%M %Z")
        typer.echo(
            f"The office is closed now: the demo runs the router's clock from {at} (the last "
            "office hours) so there is work to do; --demo-start overrides."
        )
    return start


def down() -> None:
    """Stop `switchboard up` and the local broker; no-op when nothing runs."""
    for line in stop_everything(PathSettings()):
        typer.echo(line)
