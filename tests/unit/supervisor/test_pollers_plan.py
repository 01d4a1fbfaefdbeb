"""`switchboard up` runs the pollers against the local platform sandbox, and says why not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from services.supervisor import pollers
from services.supervisor.pollers import DEMO_TARGETS, poller_plan
from services.supervisor.settings import UpSettings

TARGETS = '[{"platform":"twitter","channel":"twitter:hee_kss","target":"1"}]'
UP = UpSettings(sandbox_port=18002)


def test_demo_polls_the_sandbox_up_runs(tmp_path: Path) -> None:
    health = tmp_path / "poll.json"
    health.write_text("{}")  # a stale file from an earlier run must not count as ready
    plan = poller_plan({}, up=UP, demo=True, health_file=health)
    (poll,) = plan.specs
    assert poll.argv[-2:] == ["ingest", "poll"]
    assert poll.env["SWITCHBOARD_INGEST_SANDBOX_URL"] == "http://127.0.0.1:18002"
    assert json.loads(poll.env["SWITCHBOARD_INGEST_POLL_TARGETS"]) == DEMO_TARGETS
    assert poll.env["SWITCHBOARD_INGEST_X_BEARER_TOKEN"] == "sandbox-credential"
    assert plan.line.startswith(
        "pollers   | polling the platform sandbox at http://127.0.0.1:18002 (6 targets, every 15s"
    )
    assert not poll.ready()
    health.write_text("{}")
    assert poll.ready()


def test_a_given_loopback_sandbox_and_targets_are_used_as_they_are(tmp_path: Path) -> None:
    env = {
        "SWITCHBOARD_INGEST_SANDBOX_URL": "http://127.0.0.1:8090",
        "SWITCHBOARD_INGEST_POLL_TARGETS": TARGETS,
        "SWITCHBOARD_INGEST_X_BEARER_TOKEN": "mine",
    }
    plan = poller_plan(env, up=UP, demo=True, health_file=tmp_path / "poll.json")
    (poll,) = plan.specs
    assert poll.env["SWITCHBOARD_INGEST_POLL_TARGETS"] == TARGETS
    assert poll.env["SWITCHBOARD_INGEST_X_BEARER_TOKEN"] == "mine"
    assert "(1 targets" in plan.line


def test_a_non_loopback_sandbox_is_refused(tmp_path: Path) -> None:
    env = {"SWITCHBOARD_INGEST_SANDBOX_URL": "https://api.twitter.com"}
    plan = poller_plan(env, up=UP, demo=True, health_file=tmp_path / "poll.json")
    assert plan.specs == [] and "is not on loopback" in plan.line


def test_no_targets_without_the_demo(tmp_path: Path) -> None:
    plan = poller_plan({}, up=UP, demo=False, health_file=tmp_path / "poll.json")
    assert plan.specs == []
    assert plan.line.startswith("pollers   | disabled: no poll targets")


def test_without_a_sandbox_module_the_line_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pollers, "_sandbox_available", lambda: False)
    plan = poller_plan({}, up=UP, demo=True, health_file=tmp_path / "poll.json")
    assert plan.specs == []
    assert plan.line.startswith("pollers   | disabled: no local platform sandbox")
