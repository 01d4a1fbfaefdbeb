"""Fixtures: the in-process sandbox and a watcher on the real broker's topics."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from services.common.settings import KafkaSettings
from services.sandbox.server import SandboxServer
from services.sandbox.settings import SandboxSettings
from tests.fixtures.publisher.harness import Watch, sandbox_settings


@pytest.fixture
def sandbox_cfg() -> SandboxSettings:
    return sandbox_settings()


@pytest.fixture
def sandbox(sandbox_cfg: SandboxSettings) -> Iterator[SandboxServer]:
    with SandboxServer(sandbox_cfg) as server:
        yield server


@pytest.fixture
def watch(kafka_settings: KafkaSettings) -> Iterator[Watch]:
    w = Watch(kafka_settings)
    yield w
    w.close()
