"""`switchboard calendar between|add`: the exact JSON contract and one-line refusals."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from services.cli import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["calendar", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("start", "end", "seconds"),
    [
        ("2026-12-24T16:00:00Z", "2026-12-29T10:00:00+00:00", 7200),  # Christmas, substitute day
        ("2026-03-27T16:00:00+00:00", "2026-03-30T10:00:00+01:00", 7200),  # spring forward
        ("2026-11-25T10:00:00Z", "2026-11-25T10:00:00Z", 0),
        ("2026-11-25T12:00:00Z", "2026-11-25T10:00:00Z", -7200),  # reversed: negative
        ("2026-11-25T12:00:00.5Z", "2026-11-25T12:00:01Z", 0.5),
    ],
)
def test_between_prints_seconds(start: str, end: str, seconds: float) -> None:
    code, out, err = run("between", "--calendar", "office", "--from", start, "--to", end)
    assert (code, err) == (0, "")
    assert out == json.dumps({"seconds": seconds}) + "\n"
    assert type(json.loads(out)["seconds"]) is type(seconds)


@pytest.mark.parametrize(
    ("start", "seconds", "at"),
    [
        ("2026-12-24T16:00:00Z", "28800", "2026-12-29T16:00:00+00:00"),
        ("2026-10-23T16:00:00+01:00", "7200", "2026-10-26T10:00:00+00:00"),  # fall back
        ("2026-07-01T08:00:00Z", "3600", "2026-07-01T10:00:00+01:00"),  # BST offset printed
        ("2026-11-21T10:00:00Z", "0", "2026-11-21T10:00:00+00:00"),
    ],
)
def test_add_prints_the_instant(start: str, seconds: str, at: str) -> None:
    code, out, err = run("add", "--calendar", "office", "--from", start, "--seconds", seconds)
    assert (code, err) == (0, "")
    assert json.loads(out) == {"at": at}


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["between", "--calendar", "office", "--from", "2026-11-25T10:00:00Z"], "--to"),
        (["between", "--from", "2026-11-25T10:00Z", "--to", "2026-11-25T11:00Z"], "--calendar"),
        (["between", "--calendar", "nope", "--from", "2026-11-25T10:00Z", "--to", "x"], "nope"),
        (["between", "--calendar", "office", "--from", "2026-11-25T10:00", "--to", "x"], "offset"),
        (["between", "--calendar", "office", "--from", "tuesday", "--to", "x"], "ISO"),
        (["add", "--calendar", "office", "--from", "2026-11-25T10:00Z", "--seconds", "x"], "x"),
        (["add", "--calendar", "office", "--from", "2026-11-25T10:00Z", "--seconds", "-1"], "0"),
        (["add", "--calendar", "office", "--from", "2026-11-25T10:00Z"], "--seconds"),
        (["add", "--calendar", "office", "--bogus", "1"], "--bogus"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(args: list[str], needle: str) -> None:
    code, out, err = run(*args)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert needle in err
