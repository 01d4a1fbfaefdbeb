"""The ReplyChecker (channel -> platform) and `switchboard replies check` (exact JSON)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from schemas.guidance import ReplyChecker, Severity
from schemas.registry import ChannelRegistry
from services.cli import app
from services.guidance.bootstrap import build_checker
from services.guidance.checker import UnknownChannelError
from services.guidance.domain.rules import Rules


def test_checker_resolves_the_platform_from_the_registry(
    rules: Rules, registry: ChannelRegistry
) -> None:
    checker: ReplyChecker = build_checker(
        registry=registry, rules=rules, clock=lambda: datetime(2026, 12, 1, tzinfo=UTC)
    )
    assert checker.check(channel_id="twitter:hee_kss", text="ARCP").verdict is Severity.WARN
    assert checker.check(channel_id="facebook:nhshee", text="ARCP").verdict is Severity.BLOCK
    with pytest.raises(UnknownChannelError, match="unknown channel 'twitter:nope'"):
        checker.check(channel_id="twitter:nope", text="hi")


def test_checker_reads_its_clock_per_check(rules: Rules, registry: ChannelRegistry) -> None:
    now = [datetime(2027, 1, 1, tzinfo=UTC)]
    checker = build_checker(registry=registry, rules=rules, clock=lambda: now[0])
    assert checker.check(channel_id="twitter:hee_kss", text="the MP").verdict is Severity.WARN
    now[0] = datetime(2027, 4, 1, tzinfo=UTC)
    assert checker.check(channel_id="twitter:hee_kss", text="the MP").verdict is Severity.APPROVAL


runner = CliRunner()
DRAFT = "Thanks for your message about 943 476 5919."


def test_cli_prints_one_json_object() -> None:
    result = runner.invoke(app, ["replies", "check", "--channel", "facebook:nhshee"], input=DRAFT)
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert list(body) == ["verdict", "findings"]
    assert body["verdict"] == "block"
    [f] = body["findings"]
    assert list(f) == ["check", "severity", "match", "start", "end", "message"]
    assert (f["check"], f["severity"], f["match"], f["start"], f["end"]) == (
        "pii.nhs_number",
        "block",
        "943 476 5919",
        30,
        42,
    )
    assert result.stdout.count("\n") == 1


def test_cli_ok_draft() -> None:
    result = runner.invoke(app, ["replies", "check", "--channel", "twitter:hee_kss"], input="Hi")
    assert (result.exit_code, json.loads(result.stdout)) == (0, {"verdict": "ok", "findings": []})


def test_cli_unknown_channel_is_a_bad_argument() -> None:
    result = runner.invoke(app, ["replies", "check", "--channel", "twitter:nope"], input="Hi")
    assert result.exit_code == 2
    assert "unknown channel 'twitter:nope'" in result.stderr
    assert result.stdout == ""


def test_cli_missing_channel_and_bad_input() -> None:
    assert runner.invoke(app, ["replies", "check"], input="Hi").exit_code == 2
    bad = runner.invoke(app, ["replies", "check", "--channel", "twitter:hee_kss"], input=b"\xff")
    assert bad.exit_code == 2
    assert "not UTF-8" in bad.stderr
    long = runner.invoke(
        app, ["replies", "check", "--channel", "twitter:hee_kss"], input="x" * 20_001
    )
    assert long.exit_code == 2
    assert "at most 20000 are checked" in long.stderr
    huge = runner.invoke(
        app, ["replies", "check", "--channel", "twitter:hee_kss"], input="x" * 80_001
    )
    assert huge.exit_code == 2
    assert "longer than 20000 characters" in huge.stderr


def test_cli_invalid_lists_exit_1(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "guidance.yaml"
    bad.write_text("version: 1\n", encoding="utf-8")
    monkeypatch.setenv("SWITCHBOARD_GUIDANCE_CONFIG_PATH", str(bad))
    result = runner.invoke(app, ["replies", "check", "--channel", "twitter:hee_kss"], input="Hi")
    assert result.exit_code == 1
    assert "guidance config is invalid" in result.stderr
