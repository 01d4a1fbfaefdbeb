"""Fixtures for the router's integration tests: a real worker, a file clock, readers."""

from __future__ import annotations

import os
import signal
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from kafka import KafkaProducer

from schemas.topics import INBOX_DEADLETTER, INBOX_ROUTED
from services.common.settings import KafkaSettings
from tests.integration.router.support import RouterProcess
from tests.support.clock import set_clock
from tests.support.kafka import KafkaRecorder
from tests.support.ports import free_port


def new_app_id() -> str:
    return f"router-test-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def clock_file(tmp_path: Path) -> Path:
    return tmp_path / "clock"


@pytest.fixture
def router_process(
    kafka_settings: KafkaSettings, tmp_path: Path, clock_file: Path
) -> Iterator[Callable[..., RouterProcess]]:
    """Factory: a worker on this test's topics, with its clock file set to `instant`."""
    made: list[RouterProcess] = []
    port = free_port()

    def make(instant: str, *, app_id: str | None = None) -> RouterProcess:
        set_clock(clock_file, instant)
        env = {
            **os.environ,
            "SWITCHBOARD_KAFKA_BOOTSTRAP_SERVERS": kafka_settings.bootstrap_servers,
            "SWITCHBOARD_KAFKA_TOPIC_PREFIX": kafka_settings.topic_prefix,
            "SWITCHBOARD_ROUTER_APP_ID": app_id or new_app_id(),
            "SWITCHBOARD_ROUTER_WEB_PORT": str(port),
            "SWITCHBOARD_ROUTER_DATA_DIR": str(tmp_path / "router-data"),
            "SWITCHBOARD_ROUTER_CLOCK_FILE": str(clock_file),
            "SWITCHBOARD_ROUTER_TICK_INTERVAL_S": "0.5",
            "SWITCHBOARD_ROUTER_SEEN_SWEEP_INTERVAL_S": "0.5",
        }
        rp = RouterProcess(env=env, log=tmp_path / "router.log", port=port)
        made.append(rp)
        rp.start()
        return rp

    yield make
    for rp in made:
        rp.kill(signal.SIGTERM)


@pytest.fixture
def producer(kafka_settings: KafkaSettings) -> Iterator[KafkaProducer]:
    p = KafkaProducer(bootstrap_servers=kafka_settings.bootstrap_servers.split(","))
    yield p
    p.close()


@pytest.fixture
def routed(kafka_settings: KafkaSettings) -> Iterator[KafkaRecorder]:
    c = KafkaRecorder.of(kafka_settings, INBOX_ROUTED)
    yield c
    c.close()


@pytest.fixture
def deadletters(kafka_settings: KafkaSettings) -> Iterator[KafkaRecorder]:
    c = KafkaRecorder.of(kafka_settings, INBOX_DEADLETTER)
    yield c
    c.close()
