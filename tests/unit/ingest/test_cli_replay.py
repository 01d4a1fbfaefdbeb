from __future__ import annotations

import json
from datetime import UTC, datetime

from typer.testing import CliRunner

from schemas.registry import ChannelRegistry
from services.ingest.cli import app
from services.ingest.replay import Replayer
from tests.unit.ingest.conftest import FIXTURES, RecordingPublisher, load

NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)


def test_normalise_prints_json_lines() -> None:
    data = (FIXTURES / "youtube_comment_threads.json").read_text()
    r = CliRunner().invoke(
        app,
        ["normalise", "--platform", "youtube", "--channel", "youtube:healtheducationengland"],
        input=data,
    )
    assert r.exit_code == 0, r.output
    lines = [json.loads(line) for line in r.stdout.splitlines()]
    assert len(lines) == 5 and lines[0]["channel_id"] == "youtube:healtheducationengland"
    assert lines[0]["text"] == "Nobody's love ... Song title made me die from laughter"


def test_normalise_received_at_for_instagram() -> None:
    raw = load("instagram_webhook_comments.json")
    del raw["entry"][0]["time"]
    r = CliRunner().invoke(
        app,
        ["normalise", "--platform", "instagram", "--received-at", "2026-11-23T10:00:00+00:00"],
        input=json.dumps(raw),
    )
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout.splitlines()[0])["created_at"] == "2026-11-23T10:00:00Z"


def test_normalise_errors_exit_2_with_specific_message() -> None:
    runner = CliRunner()
    bad = runner.invoke(
        app,
        ["normalise", "--platform", "flickr"],
        input=(FIXTURES / "flickr_error.json").read_text(),
    )
    assert bad.exit_code == 2 and bad.stdout == ""
    assert "flickr: stat: API call failed" in bad.stderr
    not_json = runner.invoke(app, ["normalise", "--platform", "twitter"], input="{oops")
    assert not_json.exit_code == 2 and "not valid JSON" in not_json.stderr
    unknown = runner.invoke(app, ["normalise", "--platform", "myspace"], input="{}")
    assert unknown.exit_code == 2 and "unknown platform 'myspace'" in unknown.stderr


def test_replay_counts_produced_dead_letters_and_duplicates(registry: ChannelRegistry) -> None:
    fb = load("facebook_feed_comment_add.json")
    lines = [
        json.dumps({"platform": "facebook", "payload": fb}),
        json.dumps({"platform": "facebook", "payload": fb}),  # a webhook retry
        json.dumps(
            {
                "platform": "flickr",
                "payload": load("flickr_comments.json"),
                "channel": "flickr:nhshealtheducationengland",
            }
        ),
        "",
        "{not json",
        json.dumps({"platform": "myspace", "payload": {}}),
        json.dumps({"platform": "flickr", "payload": load("flickr_error.json")}),
    ]
    publisher = RecordingPublisher()
    summary = Replayer(registry=registry, publisher=publisher, clock=lambda: NOW).run(lines)
    assert (summary.lines, summary.produced, summary.dead_lettered, summary.duplicates) == (
        6,
        3,
        3,
        1,
    )
    assert summary.line() == ("replayed 6 lines: produced 3, dead-lettered 3, duplicates 1")
    sources = [d.source for d in publisher.dead_letters]
    assert sources == ["ingest.replay", "ingest.replay", "ingest.replay.flickr"]
    assert "unknown platform 'myspace'" in publisher.dead_letters[1].error
