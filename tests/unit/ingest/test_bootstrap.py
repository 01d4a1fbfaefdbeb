"""Ingest's bootstrap: one settings object in, each part built on first use from it."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from schemas.registry import ChannelRegistry, RegistryError
from services.common.settings import PathSettings
from services.ingest.bootstrap import bootstrap
from services.ingest.settings import IngestServiceSettings, IngestSettings
from tests.unit.ingest.conftest import RecordingPublisher


def _settings(tmp_path: Path) -> IngestServiceSettings:
    return IngestServiceSettings(
        ingest=IngestSettings(health_dir=str(tmp_path / "health")),
        paths=PathSettings(data_dir=tmp_path, registry_path=tmp_path / "missing.yaml"),
    )


def test_overrides_are_used_and_nothing_is_built_until_asked(
    tmp_path: Path, registry: ChannelRegistry
) -> None:
    publisher = RecordingPublisher()
    ingest = bootstrap(_settings(tmp_path), registry=registry, publisher=publisher)
    assert "publisher" not in ingest.__dict__
    web = ingest.webhook_app()
    assert ingest.publisher is publisher
    assert ingest.registry is registry
    assert TestClient(web).get("/metrics").status_code == 200
    assert ingest.health_dir == tmp_path / "health"


def test_the_registry_is_read_from_the_composed_paths(tmp_path: Path) -> None:
    ingest = bootstrap(_settings(tmp_path), publisher=RecordingPublisher())
    with pytest.raises(RegistryError):
        _ = ingest.registry
