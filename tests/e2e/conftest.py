"""The whole pipeline as a user runs it: `switchboard up` with every service as a process.

It runs against the session's real broker with its own topic prefix, data folder, SQLite
database, router app id, free ports and a clock file the router reads its `now` from.
"""

from __future__ import annotations

import json
import subprocess
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from services.common.kafka_admin import create_topics
from tests.support.processes import switchboard
from tests.support.up import Up, start_up, up_env

MONDAY_OPEN = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


class Pipeline(Up):
    """Handles on a running pipeline, with the calls the e2e tests make."""

    @property
    def admin_token(self) -> str:
        return self.token

    @property
    def topic_prefix(self) -> str:
        return self.prefix

    def post_webhook(self, platform: str, payload: dict[str, Any] | bytes) -> httpx.Response:
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        return httpx.post(
            f"{self.ingest}/webhooks/{platform}",
            content=body,
            headers=self.sign(platform, body),
            timeout=30,
        )

    def get(self, path: str, token: str | None = None, **params: str) -> httpx.Response:
        auth = {"Authorization": f"Bearer {token or self.admin_token}"}
        return httpx.get(f"{self.api}{path}", headers=auth, params=params, timeout=30)

    def cli(self, *args: str) -> str:
        proc = subprocess.run(
            switchboard(*args),
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        return proc.stdout.strip()


@pytest.fixture(scope="module")
def pipeline(kafka_bootstrap: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pipeline]:
    data = tmp_path_factory.mktemp("e2e")
    prefix = f"e2e{uuid.uuid4().hex[:8]}."
    create_topics(kafka_bootstrap, prefix=prefix)
    extra = {"SWITCHBOARD_PUBLISHER_GROUP_ID": f"e2e-publisher-{uuid.uuid4().hex[:8]}"}
    env, api_port, ingest_port = up_env(
        bootstrap=kafka_bootstrap, prefix=prefix, data=data, tag="e2e", extra=extra
    )
    pipe = Pipeline(
        data=data,
        prefix=prefix,
        bootstrap=kafka_bootstrap,
        env=env,
        api=f"http://127.0.0.1:{api_port}",
        ingest=f"http://127.0.0.1:{ingest_port}",
    )
    pipe.set_clock(MONDAY_OPEN)
    try:
        start_up(pipe)
    except RuntimeError as err:
        pytest.fail(str(err))
    yield pipe
    if not pipe.terminate(timeout_s=90):
        pytest.fail("switchboard up did not stop within 90 s of SIGTERM")
    assert not (data / "run" / "children").exists(), "children were left behind"
