"""`switchboard ingest normalise` on bad input: exit 2 and one line naming the problem."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from services.ingest.cli import app
from tests.unit.ingest.conftest import load


def _damaged_linkedin() -> bytes:
    raw = load("linkedin_comments.json")
    raw["elements"][0]["lastModified"] = "yesterday"
    return json.dumps(raw).encode()


@pytest.mark.parametrize(
    ("platform", "stdin", "names"),
    [
        ("linkedin", _damaged_linkedin(), "elements[0]"),
        ("twitter", b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        ("facebook", b"\xff\xfe not utf-8", "not valid JSON"),
        ("facebook", b"", "not valid JSON"),
        (
            "instagram",
            json.dumps({"object": "instagram", "entry": [{"changes": 5}]}).encode(),
            "entry[0]",
        ),
        ("nonsense", b"{}", "unknown platform"),
    ],
)
def test_bad_input_is_exit_2_and_one_line(platform: str, stdin: bytes, names: str) -> None:
    args = ["normalise", "--platform", platform]
    if platform == "linkedin":
        args += ["--channel", "linkedin:health-education-england"]
    r = CliRunner().invoke(app, args, input=stdin)
    assert r.exit_code == 2, r.output
    assert r.exception is None or isinstance(r.exception, SystemExit)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and names in lines[0], r.stderr
    assert "Traceback" not in r.output
