"""Fixtures shared by every test layer.

The broker is real: the session starts the project's own local Kafka (or uses
KAFKA_BOOTSTRAP_SERVERS when set) and stops it at the end if it started it. Each test that
needs topics gets its own prefix, so tests never see each other's events.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from schemas.registry import ChannelRegistry, load_registry
from services.common.local_kafka import LocalKafka
from services.common.settings import KafkaSettings, LocalBrokerSettings, PathSettings
from tests.support.topics import own_topics

_LAYERS = {"unit": "unit", "integration": "integration", "e2e": "e2e"}
_broker_note: list[str] = []


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test with its layer, from the folder it lives in."""
    for item in items:
        parts = Path(str(item.fspath)).parts
        for folder, marker in _LAYERS.items():
            if folder in parts:
                item.add_marker(getattr(pytest.mark, marker))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say which broker the integration tests really talked to."""
    for note in _broker_note:
        terminalreporter.write_line(note)


@pytest.fixture(scope="session")
def kafka_bootstrap() -> Iterator[str]:
    """Bootstrap address of a real, running Kafka broker."""
    external = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if external:
        _broker_note.append(f"kafka: used external broker at {external} (KAFKA_BOOTSTRAP_SERVERS)")
        yield external
        return
    broker = LocalKafka(home=PathSettings().data_dir / "kafka", settings=LocalBrokerSettings())
    status, started = broker.up()
    how = "started by this test session" if started else "already running, left running"
    _broker_note.append(f"kafka: real local broker at {status.bootstrap} (pid {status.pid}, {how})")
    yield status.bootstrap
    if started:
        broker.down()


@pytest.fixture
def kafka_settings(kafka_bootstrap: str) -> Iterator[KafkaSettings]:
    """Kafka settings with a fresh topic prefix; every topic is created, and deleted after."""
    prefix = f"t{uuid.uuid4().hex[:10]}."
    with own_topics(kafka_bootstrap, prefix) as settings:
        yield settings


@pytest.fixture(scope="session")
def registry() -> ChannelRegistry:
    """The channel registry that ships in deploy/config."""
    return load_registry()


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """URL of a PostgreSQL database for tests, or skip saying how to get one."""
    url = os.environ.get("SWITCHBOARD_TEST_POSTGRES_URL")
    if not url:
        pytest.skip(
            "PostgreSQL tests need SWITCHBOARD_TEST_POSTGRES_URL "
            "(`export SWITCHBOARD_TEST_POSTGRES_URL=$(bash deploy/local/postgres.sh)`; "
            ".ci/run does this)"
        )
    try:
        make_url(url)
    except ArgumentError:
        # Never echo the value: it carries the role's password.
        pytest.fail(
            "SWITCHBOARD_TEST_POSTGRES_URL is not one SQLAlchemy URL "
            f"({len(url.splitlines())} line(s)); set it to the single line postgres.sh prints"
        )
    return url
