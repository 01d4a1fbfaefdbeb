"""GET /v1/channels shows each channel's ingestion health, as ingest reported it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from services.ingest.health import HealthBook, Signals
from tests.integration.api.conftest import Api


@pytest.fixture
def crosses_broker() -> bool:
    """Nothing in this module reads a topic: no relay, no broker."""
    return False


AT = datetime(2026, 11, 23, 9, tzinfo=UTC)


def test_channels_carry_ingest_health_once_reported(
    api: Api, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SWITCHBOARD_DATA_DIR", str(tmp_path))
    (only,) = api.client.get("/v1/channels", headers=api.auth("kss")).json()["channels"]
    assert "ingest" not in only  # nothing reported yet
    folder = tmp_path / "ingest" / "health"
    HealthBook(path=folder / "webhook.json").success("twitter:hee_kss", now=AT, via="webhook")
    poll = HealthBook(path=folder / "poll.json")
    limited = Signals(rate_limited=True, rate_limit_reset_at="2026-11-23T09:15:00+00:00")
    poll.failure("twitter:hee_kss", error="HTTP 429", signals=limited, now=AT.replace(minute=5))
    (only,) = api.client.get("/v1/channels", headers=api.auth("kss")).json()["channels"]
    assert only["ingest"] == {
        "last_success_at": AT.isoformat(),
        "last_success_via": "webhook",
        "consecutive_failures": 1,
        "rate_limited": True,
        "rate_limit_reset_at": "2026-11-23T09:15:00+00:00",
        "token_expired": False,
    }
