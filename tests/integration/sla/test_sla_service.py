"""`switchboard sla run` on the real broker: on-time warnings and breaches, once, across restarts.

The service reads its `now` from a clock file the test moves; its events land on the real
inbox.work.v1 and are read back from there.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from kafka import KafkaProducer

from schemas.topics import INBOX_ROUTED, INBOX_WORK
from services.common.settings import KafkaSettings
from tests.support.clock import set_clock
from tests.support.kafka import KafkaRecorder
from tests.support.ports import free_port
from tests.support.processes import REPO
from tests.unit.sla.builders import inbox, routed


class SlaProcess:
    def __init__(self, *, env: dict[str, str], port: int, log: Path) -> None:
        self.env, self.port, self.log = env, port, log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "services", "sla", "run"],
                cwd=REPO, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.log.read_text()[-3000:]
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/ready", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise AssertionError("sla service not ready:\n" + self.log.read_text()[-3000:])

    def metrics(self) -> str:
        return httpx.get(f"http://127.0.0.1:{self.port}/metrics", timeout=5).text

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=30)
        self.proc = None


@pytest.fixture
def sla(kafka_settings: KafkaSettings, tmp_path: Path) -> Iterator[tuple[SlaProcess, Path]]:
    clock = tmp_path / "clock"
    port = free_port()
    env = {
        **os.environ,
        "SWITCHBOARD_KAFKA_BOOTSTRAP_SERVERS": kafka_settings.bootstrap_servers,
        "SWITCHBOARD_KAFKA_TOPIC_PREFIX": kafka_settings.topic_prefix,
        "SWITCHBOARD_SLA_WEB_PORT": str(port),
        "SWITCHBOARD_SLA_CLOCK_FILE": str(clock),
        "SWITCHBOARD_SLA_TICK_INTERVAL_S": "0.2",
        "SWITCHBOARD_SLA_REPORTS": "false",
        "SWITCHBOARD_DATA_DIR": str(tmp_path / "data"),
    }
    proc = SlaProcess(env=env, port=port, log=tmp_path / "sla.log")
    yield proc, clock
    proc.stop()


def sla_events(seen: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    return sorted(
        (e["detail"]["type"], e["detail"]["target"], e["occurred_at"])
        for e in seen
        if e["detail"]["type"].startswith("sla_")
    )


def test_warning_and_breach_on_time_and_once(
    kafka_settings: KafkaSettings, sla: tuple[SlaProcess, Path]
) -> None:
    proc, clock = sla
    # A press item received on Friday 16:00: 4 office hours run out on Monday at 12:00,
    # the warning (3 hours) at 11:00; the weekend counts for nothing.
    item = inbox(created="2026-11-20T16:00:00+00:00")
    producer = KafkaProducer(bootstrap_servers=kafka_settings.bootstrap_servers.split(","))
    event = routed(item, when="2026-11-20T16:00:00+00:00")
    producer.send(kafka_settings.topic(INBOX_ROUTED), key=b"facebook:nhshee",
                  value=event.to_bytes()).get(timeout=30)  # fmt: skip
    producer.close()
    work = KafkaRecorder.of(kafka_settings, INBOX_WORK)
    try:
        set_clock(clock, "2026-11-23T10:59:59+00:00")  # Monday, a second before the warning
        proc.start()
        assert sla_events(work.settle(2.0)) == []
        set_clock(clock, "2026-11-23T11:00:00+00:00")
        seen = work.expect(lambda s: len(sla_events(s)) >= 1, timeout=30)
        assert sla_events(seen) == [("sla_warning", "first_response", "2026-11-23T11:00:00Z")]
        assert 'type="sla_warning"} 1' in proc.metrics()
        proc.stop()

        # Restarted after the breach instant: it emits the breach and not the warning again.
        set_clock(clock, "2026-11-23T12:30:00+00:00")
        proc.start()
        seen = work.expect(lambda s: len(sla_events(s)) >= 2, timeout=30)
        assert sla_events(work.settle(2.0)) == [
            ("sla_breached", "first_response", "2026-11-23T12:00:00Z"),
            ("sla_warning", "first_response", "2026-11-23T11:00:00Z"),
        ]
        breach = next(e for e in seen if e["detail"]["type"] == "sla_breached")
        assert breach["detail"]["due_at"] == "2026-11-23T12:00:00Z"
        assert (breach["actor_kind"], breach["actor"], breach["queue"]) == (
            "service", "sla", "press",
        )  # fmt: skip
        proc.stop()

        # A third start at the same instant has nothing left to say.
        proc.start()
        assert len(sla_events(work.settle(3.0))) == 2
        metrics = proc.metrics()
        assert "switchboard_sla_emitted_total{" not in metrics
        assert 'switchboard_sla_items{target="first_response",type="sla_breached"} 1' in metrics
    finally:
        work.close()
