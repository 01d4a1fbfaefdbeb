"""`switchboard up` starts the pollers only against a loopback sandbox, and says why not."""

from __future__ import annotations

from pathlib import Path

from services.supervisor.pollers import poller_plan

TARGETS = '[{"platform":"twitter","channel":"twitter:hee_kss","target":"1"}]'


def test_without_a_sandbox_the_pollers_are_disabled_and_the_line_says_why(tmp_path: Path) -> None:
    plan = poller_plan({}, health_file=tmp_path / "poll.json", ready_timeout_s=5)
    assert plan.spec is None
    assert plan.line.startswith("pollers   | disabled: no local platform sandbox to poll")


def test_a_non_loopback_base_url_is_refused(tmp_path: Path) -> None:
    env = {"SWITCHBOARD_INGEST_SANDBOX_URL": "https://api.twitter.com",
           "SWITCHBOARD_INGEST_POLL_TARGETS": TARGETS}  # fmt: skip
    plan = poller_plan(env, health_file=tmp_path / "poll.json", ready_timeout_s=5)
    assert plan.spec is None and "is not on loopback" in plan.line


def test_no_targets(tmp_path: Path) -> None:
    env = {"SWITCHBOARD_INGEST_SANDBOX_URL": "http://127.0.0.1:8090"}
    plan = poller_plan(env, health_file=tmp_path / "poll.json", ready_timeout_s=5)
    assert plan.spec is None and "no poll targets" in plan.line


def test_sandbox_and_targets_start_ingest_poll_ready_after_its_first_round(
    tmp_path: Path,
) -> None:
    health = tmp_path / "poll.json"
    health.write_text("{}")  # a stale file from an earlier run must not count as ready
    env = {"SWITCHBOARD_INGEST_SANDBOX_URL": "http://127.0.0.1:8090",
           "SWITCHBOARD_INGEST_POLL_TARGETS": TARGETS}  # fmt: skip
    plan = poller_plan(env, health_file=health, ready_timeout_s=5)
    assert plan.spec is not None and plan.spec.argv[-2:] == ["ingest", "poll"]
    assert plan.line == "pollers   | polling http://127.0.0.1:8090"
    assert not plan.spec.ready()
    health.write_text("{}")
    assert plan.spec.ready()
