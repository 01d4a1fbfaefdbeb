"""Property: replay lines and every consumer's decode step refuse bad input with their own error.

The router decodes inbox.items.v1 and inbox.campaigns.v1 records, the projector
inbox.routed.v1 records, all with `schemas.validation.validate`: for any bytes, and for any
damaged real event, it returns the event or raises SchemaValidationError, nothing else.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schemas import Campaign, InboxItem, RoutedItem, RoutedStatus, SchemaValidationError, validate
from schemas.envelope import Event, make_event_id
from schemas.registry import load_registry
from services.common.settings import PathSettings
from services.ingest.replay import Replayer
from tests.unit.fuzz.mutations import mutated
from tests.unit.ingest.conftest import FIXTURES, RecordingPublisher, load

# Deeply nested examples have huge reprs; Hypothesis warns about building them.
pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")
NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)
ITEM = InboxItem.create(
    platform="twitter",
    channel_id="twitter:hee_kss",
    channel_known=True,
    addressed_account="HEE_KSS",
    kind="comment",
    platform_item_id="1",
    text="hello #nhs",
    created_at=NOW,
)
ROUTED = RoutedItem(
    event_id=RoutedItem.event_id_for(ITEM.event_id, RoutedStatus.QUEUED),
    occurred_at=NOW,
    item=ITEM,
    queue="local:kent-surrey-sussex",
    status=RoutedStatus.QUEUED,
    rule="channel-owner",
    reason="because",
)
CAMPAIGN = Campaign(
    event_id=make_event_id("campaign", "flu"),
    occurred_at=NOW,
    campaign_id="flu",
    name="Flu",
    hashtag="flu",
    owner_queue="digital",
    start_date=date(2026, 11, 1),
)
EVENTS: dict[str, Event] = {"InboxItem": ITEM, "RoutedItem": ROUTED, "Campaign": CAMPAIGN}


def decodes_or_refuses(payload: bytes, model: type[Event]) -> None:
    error: SchemaValidationError | None = None
    try:
        got = validate(payload, model)
    except SchemaValidationError as err:
        error = err
    if error is None:
        assert isinstance(got, model)
    else:
        assert model.schema_label() in str(error) and len(str(error)) < 20_000


@pytest.mark.parametrize("name", sorted(EVENTS))
@given(data=st.data())
def test_damaged_events_decode_or_are_refused(name: str, data: st.DataObject) -> None:
    event = EVENTS[name]
    doc = data.draw(mutated(json.loads(event.to_bytes())), label="event")
    try:
        payload = json.dumps(doc).encode()
    except (RecursionError, ValueError):
        payload = b"[" * 100_000  # too deep for json.dumps: send bytes that are too deep
    decodes_or_refuses(payload, type(event))


@pytest.mark.parametrize("name", sorted(EVENTS))
@given(payload=st.binary(max_size=300) | st.sampled_from([b"[" * 50_000, b'{"a":' * 50_000]))
def test_arbitrary_bytes_decode_or_are_refused(name: str, payload: bytes) -> None:
    decodes_or_refuses(payload, type(EVENTS[name]))


def _line(doc: Any) -> str:
    try:
        return json.dumps(doc)
    except RecursionError:
        return '{"platform": "twitter", "payload": ' + "[" * 50_000


REGISTRY = load_registry(PathSettings().registry_path)
GOOD_LINE = {"platform": "twitter", "payload": load("twitter_aaa_tweet_create.json")}
LINE_TEXT = st.one_of(
    st.text(max_size=200),
    st.sampled_from(["[" * 50_000, '{"platform": "twitter", "payload": ' + "[" * 50_000]),
    st.builds(
        _line,
        mutated({**GOOD_LINE, "channel": "twitter:hee_kss", "received_at": NOW.isoformat()}),
    ).filter(lambda line: len(line) < 1_000_000),
)


@given(lines=st.lists(LINE_TEXT, min_size=1, max_size=4))
def test_replay_lines_are_replayed_or_dead_lettered(lines: list[str]) -> None:
    publisher = RecordingPublisher()
    replayer = Replayer(registry=REGISTRY, publisher=publisher, clock=lambda: NOW)
    good = json.dumps(GOOD_LINE)
    summary = replayer.run([*lines, good])  # a good line after the bad ones
    assert summary.lines == sum(1 for line in [*lines, good] if line.strip())
    assert summary.dead_lettered == len(publisher.dead_letters) <= summary.lines
    assert publisher.items and publisher.items[-1].platform_item_id  # the good line went out
    assert all(letter.error for letter in publisher.dead_letters)


def test_fixtures_are_there() -> None:
    assert (FIXTURES / "twitter_aaa_tweet_create.json").exists()
