"""docker-compose.yml must stay correct although no Docker engine runs here."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

COMPOSE = Path(__file__).resolve().parents[2] / "docker-compose.yml"


def _compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return data


def test_service_graph() -> None:
    services = _compose()["services"]
    assert set(services) >= {
        "kafka", "postgres", "topics", "ingest", "router", "api", "projector", "publisher"
    }  # fmt: skip
    for name in ("ingest", "router", "api", "publisher"):
        deps = services[name]["depends_on"]
        assert deps["kafka"]["condition"] == "service_healthy", name
        assert deps["topics"]["condition"] == "service_completed_successfully", name
        assert services[name]["build"] == "."
    assert services["api"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in ("kafka", "postgres", "ingest", "router", "api", "publisher"):
        assert "healthcheck" in services[name], name


def test_services_run_the_operator_cli_commands() -> None:
    services = _compose()["services"]
    assert services["ingest"]["command"][:2] == ["ingest", "serve"]
    assert services["router"]["command"] == ["router", "worker"]
    assert services["api"]["command"][:2] == ["api", "serve"]
    assert services["projector"]["command"] == ["api", "project"]
    assert services["topics"]["command"] == ["topics", "create"]
    assert services["publisher"]["command"] == ["publisher", "run"]


def test_the_publisher_reads_credentials_from_a_secret_not_the_file() -> None:
    data = _compose()
    publisher = data["services"]["publisher"]
    assert publisher["secrets"] == ["publisher-credentials"]
    env = publisher["environment"]
    assert env["SWITCHBOARD_PUBLISHER_SECRETS_FILE"].endswith(
        ":-/run/secrets/publisher-credentials}"
    )
    # Pointed at the real platforms: no sandbox base URLs in the compose file.
    assert not any(k.endswith("_API_BASE") for k in env)
    assert data["secrets"]["publisher-credentials"]["file"].startswith("${")


def test_no_secret_is_committed() -> None:
    text = COMPOSE.read_text()
    assert "POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?" in text
    for svc in _compose()["services"].values():
        for key, value in (svc.get("environment") or {}).items():
            if any(word in key for word in ("SECRET", "PASSWORD", "TOKEN")):
                assert str(value).startswith("${"), key


@pytest.mark.skipif(
    shutil.which("docker-compose") is None,
    reason="docker-compose not installed (Debian: apt-get install docker-compose; .ci/run does)",
)
def test_docker_compose_parses_the_file() -> None:
    env = {**os.environ, "POSTGRES_PASSWORD": "placeholder-for-parsing"}
    proc = subprocess.run(
        ["docker-compose", "-f", str(COMPOSE), "config", "-q"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr


def test_pollers_run_the_poll_command_with_state_kept() -> None:
    pollers = _compose()["services"]["pollers"]
    assert pollers["command"] == ["ingest", "poll"]
    assert pollers["depends_on"]["kafka"]["condition"] == "service_healthy"
    assert any(v.endswith(":/data") for v in pollers["volumes"])
