"""`switchboard calendar ...`: office-time arithmetic on a registry calendar, for scripts.

The interface is a contract (scripts depend on it): `between` prints {"seconds": N} and
`add` prints {"at": "<ISO instant>"}, one JSON line each; any bad argument exits 2 with one
line on stderr. Options are parsed here rather than by click so that a missing or malformed
one is that one line too, not a usage screen.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from services.router.domain.calendar import OfficeCalendar

app = typer.Typer(
    help="Office-time arithmetic on a queue calendar (weekends, bank holidays, closures, DST).",
    no_args_is_help=True,
)

_MAX_SECONDS = 10 * 366 * 24 * 3600


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(2)


def _calendar(name: str | None, registry: Path | None) -> OfficeCalendar:
    from schemas.registry import RegistryError, load_registry
    from services.common.settings import PathSettings
    from services.router.domain.calendar import OfficeCalendar

    if not name:
        raise _fail("--calendar is required")
    try:
        reg = load_registry(registry or PathSettings().registry_path)
    except RegistryError as err:
        raise _fail(str(err).splitlines()[0]) from err
    spec = reg.calendars.get(name)
    if spec is None:
        known = ", ".join(sorted(reg.calendars))
        raise _fail(f"unknown calendar {name!r} (known: {known})")
    return OfficeCalendar(spec, name=name)


def _instant(flag: str, text: str | None) -> datetime:
    from services.router.explain import InputLineError, parse_instant

    if not text:
        raise _fail(f"{flag} is required")
    try:
        return parse_instant(text)
    except InputLineError as err:
        raise _fail(f"{flag}: {err}") from err


def _seconds_out(delta: timedelta) -> int | float:
    whole, rest = divmod(delta, timedelta(seconds=1))
    return int(whole) if not rest else delta.total_seconds()


_CAL = typer.Option(None, "--calendar", help="Calendar name from the registry, e.g. office.")
_FROM = typer.Option(None, "--from", help="ISO-8601 instant with offset, e.g. 2026-12-24T16:00Z.")
# Unknown options and stray arguments reach the command, which refuses them in one line.
_LENIENT = {"ignore_unknown_options": True, "allow_extra_args": True}


def _no_extras(ctx: typer.Context) -> None:
    if ctx.args:
        raise _fail(f"unexpected argument {ctx.args[0]!r}")


_REG = typer.Option(None, "--registry", help="Registry YAML (default: SWITCHBOARD_REGISTRY_PATH).")


@app.command(context_settings=_LENIENT)
def between(
    ctx: typer.Context,
    calendar: str | None = _CAL,
    start: str | None = _FROM,
    end: str | None = typer.Option(None, "--to", help="ISO-8601 instant with offset."),
    registry: Path | None = _REG,
) -> None:
    """Office seconds from --from to --to: {"seconds": N} (negative when --to is earlier)."""
    from services.router.domain.office_time import SpanTooLongError, office_time_between

    _no_extras(ctx)
    cal = _calendar(calendar, registry)
    a, b = _instant("--from", start), _instant("--to", end)
    try:
        delta = office_time_between(cal, a, b)
    except SpanTooLongError as err:
        raise _fail(str(err)) from err
    typer.echo(json.dumps({"seconds": _seconds_out(delta)}))


@app.command(context_settings=_LENIENT)
def add(
    ctx: typer.Context,
    calendar: str | None = _CAL,
    start: str | None = _FROM,
    seconds: str | None = typer.Option(None, "--seconds", help="Office seconds to add (>= 0)."),
    registry: Path | None = _REG,
) -> None:
    """The earliest instant N office seconds after --from: {"at": "<ISO instant>"}."""
    from services.router.domain.calendar import CalendarNeverOpensError
    from services.router.domain.office_time import add_office_time

    _no_extras(ctx)
    cal = _calendar(calendar, registry)
    a = _instant("--from", start)
    if seconds is None:
        raise _fail("--seconds is required")
    try:
        amount = float(seconds)
    except ValueError as err:
        raise _fail(f"--seconds: {seconds!r} is not a number") from err
    if not 0 <= amount <= _MAX_SECONDS:
        raise _fail(f"--seconds must be between 0 and {_MAX_SECONDS}")
    try:
        result = add_office_time(cal, a, timedelta(seconds=amount))
    except CalendarNeverOpensError as err:
        raise _fail(str(err)) from err
    typer.echo(json.dumps({"at": result.isoformat()}))
