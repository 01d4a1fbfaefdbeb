"""`switchboard report monthly` reads the real topics and gives the pure builder's figures."""

from __future__ import annotations

import json
from pathlib import Path

from kafka import KafkaProducer
from typer.testing import CliRunner

from schemas.registry import ChannelRegistry
from schemas.topics import INBOX_CAMPAIGNS, INBOX_DEADLETTER, INBOX_ROUTED, INBOX_WORK
from services.cli import app
from services.common.settings import KafkaSettings
from services.report.domain.figures import Scope, build_figures
from services.report.domain.month import Month
from services.report.files import render_json
from services.report.source import read_input
from services.router.domain.calendar import build_calendars
from tests.unit.report.synthetic import november


def publish_november(kafka: KafkaSettings) -> None:
    data = november()
    producer = KafkaProducer(bootstrap_servers=kafka.bootstrap_servers.split(","))
    sends = [
        *((INBOX_ROUTED, e.item.channel_id, e) for e in data.routed),
        *((INBOX_WORK, str(e.item_event_id), e) for e in data.work),
        *((INBOX_CAMPAIGNS, e.campaign_id, e) for e in data.campaigns),
        *((INBOX_DEADLETTER, e.source, e) for e in data.dead_letters),
    ]
    for spec, key, event in sends:
        producer.send(kafka.topic(spec), key=key.encode(), value=event.to_bytes())
    # A duplicate delivery and a record that is not an event at all: neither changes a figure.
    producer.send(kafka.topic(INBOX_ROUTED), key=b"x", value=data.routed[0].to_bytes())
    producer.send(kafka.topic(INBOX_WORK), key=b"x", value=b"not json")
    producer.flush(timeout=30)
    producer.close()


def test_the_report_is_built_from_the_topics(
    kafka_settings: KafkaSettings, registry: ChannelRegistry, tmp_path: Path
) -> None:
    publish_november(kafka_settings)
    month = Month.parse("2026-11")
    expected = build_figures(month=month, scope=Scope(), data=november(), registry=registry,
                             calendars=build_calendars(registry))  # fmt: skip
    from_log = build_figures(month=month, scope=Scope(), data=read_input(kafka_settings),
                             registry=registry, calendars=build_calendars(registry))  # fmt: skip
    assert from_log == expected

    env = {
        "SWITCHBOARD_KAFKA_BOOTSTRAP_SERVERS": kafka_settings.bootstrap_servers,
        "SWITCHBOARD_KAFKA_TOPIC_PREFIX": kafka_settings.topic_prefix,
    }
    runner = CliRunner()
    outs = [tmp_path / "one", tmp_path / "two"]
    for out in outs:
        result = runner.invoke(app, ["report", "monthly", "--month", "2026-11", "--out", str(out)],
                               env=env)  # fmt: skip
        assert result.exit_code == 0, result.output
    assert (outs[0] / "report.json").read_text() == render_json(expected)
    for name in ("report.html", "report.csv", "report.json", "report.pdf"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name
    assert json.loads((outs[0] / "report.json").read_text())["volume"]["total"] == 8


def test_bad_arguments_exit_2(tmp_path: Path) -> None:
    runner = CliRunner()
    both = ["--month", "2026-11", "--queue", "press", "--channel", "facebook:nhshee"]
    for args in (["--month", "2026-13"], ["--month", "2026-11", "--queue", "nope"], both):
        result = runner.invoke(app, ["report", "monthly", *args, "--out", str(tmp_path)])
        assert result.exit_code == 2
        assert len(result.stderr.strip().splitlines()) == 1
