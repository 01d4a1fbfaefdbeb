"""Every poller against the real local platform sandbox, producing to the real broker."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from typer.testing import CliRunner

from schemas import INBOX_ITEMS, InboxItem, validate
from services.common.settings import KafkaSettings
from services.ingest.cli import app
from services.sandbox.server import SandboxServer
from services.sandbox.settings import SandboxSettings
from tests.integration.ingest.conftest import read_topic

TARGETS = [
    {"platform": "twitter", "channel": "twitter:hee_kss", "target": "2244994945"},
    {"platform": "facebook", "channel": "facebook:nhshee", "target": "107654321"},
    {"platform": "instagram", "channel": "instagram:nhshee", "target": "17841405822304914"},
    {"platform": "youtube", "channel": "youtube:healtheducationengland", "target": "UCsandbox"},
    {"platform": "linkedin", "channel": "linkedin:health-education-england",
     "target": "urn:li:activity:42"},
    {"platform": "flickr", "channel": "flickr:nhshealtheducationengland", "target": "109722179"},
]  # fmt: skip


CREDENTIALS = ("X_BEARER_TOKEN", "FACEBOOK_PAGE_TOKEN", "INSTAGRAM_TOKEN", "YOUTUBE_API_KEY",
               "LINKEDIN_TOKEN", "FLICKR_API_KEY")  # fmt: skip


def test_every_poller_reads_the_sandbox_once(tmp_path: Path, kafka_settings: KafkaSettings) -> None:
    env = {
        "SWITCHBOARD_KAFKA_BOOTSTRAP_SERVERS": kafka_settings.bootstrap_servers,
        "SWITCHBOARD_KAFKA_TOPIC_PREFIX": kafka_settings.topic_prefix,
        "SWITCHBOARD_DATA_DIR": str(tmp_path),
        "SWITCHBOARD_INGEST_POLL_TARGETS": json.dumps(TARGETS),
        "SWITCHBOARD_INGEST_POLL_MAX_ATTEMPTS": "1",
        **{f"SWITCHBOARD_INGEST_{name}": "sandbox-credential" for name in CREDENTIALS},
    }
    with SandboxServer(SandboxSettings()) as sandbox:
        env["SWITCHBOARD_INGEST_SANDBOX_URL"] = sandbox.url
        for target in TARGETS:
            body = {"platform": target["platform"], "target": target["target"],
                    "text": f"hello from {target['platform']}", "account": "HEE_KSS"}  # fmt: skip
            assert httpx.post(f"{sandbox.url}/_sandbox/inbound", json=body).status_code == 201
        first = CliRunner().invoke(app, ["poll", "--once"], env=env)
        assert first.exit_code == 0, first.output
        assert first.stdout.count("produced 1,") == 6, first.stdout
        # A second round finds nothing new: every cursor moved.
        second = CliRunner().invoke(app, ["poll", "--once"], env=env)
        assert second.stdout.count("produced 0,") == 6, second.stdout
        # Without credentials the sandbox refuses, and the round reports it.
        refused = CliRunner().invoke(
            app, ["poll", "--once"], env={**env, "SWITCHBOARD_INGEST_X_BEARER_TOKEN": ""}
        )
        assert "twitter twitter:hee_kss 2244994945: produced 0" in refused.stdout
        assert "HTTP 401" in refused.stdout
    records = read_topic(kafka_settings, INBOX_ITEMS, expect=6)
    items = [validate(v, InboxItem) for _, v in records]
    assert sorted(i.channel_id for i in items) == sorted(t["channel"] for t in TARGETS)
    assert all(i.channel_known and i.text.endswith(f"hello from {i.platform.value}") for i in items)
