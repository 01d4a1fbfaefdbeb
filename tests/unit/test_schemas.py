from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest

from schemas import (
    Campaign,
    DeadLetter,
    InboxItem,
    ItemAction,
    Platform,
    Reply,
    RoutedItem,
    RoutedStatus,
    SchemaValidationError,
    make_event_id,
    validate,
)
from schemas.events import inbox_event_id
from schemas.generate import render, schema_file
from schemas.topics import ALL_EVENTS


def _item(**over: object) -> InboxItem:
    fields: dict[str, object] = {
        "platform": "twitter",
        "channel_id": "twitter:hee_kss",
        "channel_known": True,
        "addressed_account": "HEE_KSS",
        "kind": "mention",
        "platform_item_id": "1050118621198921728",
        "text": "Thanks @HEE_KSS 👩🏽‍⚕️ #NHSCareers",
        "created_at": datetime(2026, 3, 2, 10, 0, tzinfo=UTC),
        "hashtags": ["NHSCareers"],
        "mentions": ["HEE_KSS"],
    }
    fields.update(over)
    return InboxItem.create(**fields)


def test_inbox_item_round_trips_through_bytes() -> None:
    item = _item()
    back = validate(item.to_bytes(), InboxItem)
    assert back == item
    assert back.text == "Thanks @HEE_KSS 👩🏽‍⚕️ #NHSCareers"


def test_event_id_is_deterministic_per_platform_item_and_action() -> None:
    assert _item().event_id == _item().event_id
    assert _item().event_id != _item(action="deleted", text="").event_id
    assert _item().event_id != _item(platform_item_id="2").event_id
    assert _item().event_id == inbox_event_id(
        Platform.TWITTER, "1050118621198921728", ItemAction.CREATED
    )


def test_event_id_must_match_the_item() -> None:
    raw = json.loads(_item().to_bytes())
    raw["platform_item_id"] = "999"
    with pytest.raises(SchemaValidationError, match="event_id must be derived"):
        validate(raw, InboxItem)


def test_naive_datetime_is_rejected() -> None:
    raw = json.loads(_item().to_bytes())
    raw["created_at"] = "2026-03-02T10:00:00"
    with pytest.raises(SchemaValidationError) as err:
        validate(raw, InboxItem)
    assert "InboxItem v1" in str(err.value)
    assert "created_at" in str(err.value)
    assert "timezone-aware" in str(err.value)


def test_aware_datetimes_are_normalised_to_utc() -> None:
    item = _item(created_at=datetime(2026, 7, 1, 10, 0, tzinfo=timezone(timedelta(hours=1))))
    assert item.created_at == datetime(2026, 7, 1, 9, 0, tzinfo=UTC)
    assert item.created_at.utcoffset() == timedelta(0)


def test_unknown_platform_is_rejected_with_a_clear_message() -> None:
    raw = json.loads(_item().to_bytes())
    raw["platform"] = "myspace"
    with pytest.raises(SchemaValidationError) as err:
        validate(raw, InboxItem)
    message = str(err.value)
    assert message.startswith("invalid InboxItem v1:")
    assert "platform" in message
    assert "'twitter'" in message


def test_invalid_json_says_so() -> None:
    with pytest.raises(SchemaValidationError, match="not valid JSON"):
        validate(b"{not json", InboxItem)


def test_unknown_fields_are_rejected() -> None:
    raw = json.loads(_item().to_bytes())
    raw["surprise"] = 1
    with pytest.raises(SchemaValidationError, match="surprise"):
        validate(raw, InboxItem)


def test_routed_item_held_needs_hold_until() -> None:
    item = _item()
    with pytest.raises(ValueError, match="hold_until"):
        RoutedItem(
            event_id=RoutedItem.event_id_for(item.event_id, RoutedStatus.HELD),
            occurred_at=item.created_at,
            item=item,
            queue="local:kent-surrey-sussex",
            status=RoutedStatus.HELD,
            rule="channel-owner:twitter:hee_kss",
            reason="closed",
        )


def test_routed_item_rejects_unknown_queue_shape() -> None:
    item = _item()
    with pytest.raises(ValueError, match="queue"):
        RoutedItem(
            event_id=RoutedItem.event_id_for(item.event_id, RoutedStatus.QUEUED),
            occurred_at=item.created_at,
            item=item,
            queue="marketing",
            status=RoutedStatus.QUEUED,
            rule="x",
            reason="y",
        )


def test_campaign_hashtag_and_dates() -> None:
    c = Campaign(
        event_id=uuid_for("c"),
        occurred_at=datetime(2026, 1, 1, tzinfo=UTC),
        campaign_id="nhs-careers",
        name="NHS careers week",
        hashtag="#NHSCareers",
        owner_queue="digital",
        start_date=datetime(2026, 3, 1).date(),
    )
    assert c.hashtag == "NHSCareers"
    with pytest.raises(ValueError, match="end_date"):
        Campaign.model_validate({**c.model_dump(), "end_date": datetime(2026, 2, 1).date()})
    with pytest.raises(ValueError, match="one word"):
        Campaign.model_validate({**c.model_dump(), "hashtag": "two words"})


def test_dead_letter_and_reply_ids_are_deterministic() -> None:
    assert DeadLetter.event_id_for("ingest", b"x") == DeadLetter.event_id_for("ingest", b"x")
    assert DeadLetter.event_id_for("ingest", b"x") != DeadLetter.event_id_for("ingest", b"y")
    rid = uuid_for("r")
    assert Reply.event_id_for(rid) == Reply.event_id_for(rid)


@pytest.mark.parametrize("model", ALL_EVENTS, ids=lambda m: m.SCHEMA_NAME)
def test_checked_in_json_schema_is_current(model: type) -> None:
    path = schema_file(model)
    assert path.exists(), f"{path} missing: run `make schemas`"
    assert path.read_text(encoding="utf-8") == render(model), (
        f"{path.name} is stale: run `make schemas` and commit the result"
    )


def uuid_for(name: str) -> uuid.UUID:
    return make_event_id("test", name)


def test_each_edit_is_its_own_event_but_a_redelivered_edit_is_not() -> None:
    first = _item(action="edited", occurred_at=datetime(2026, 3, 2, 11, 0, tzinfo=UTC))
    again = _item(action="edited", occurred_at=datetime(2026, 3, 2, 11, 0, tzinfo=UTC))
    second = _item(action="edited", occurred_at=datetime(2026, 3, 2, 12, 0, tzinfo=UTC))
    assert first.event_id == again.event_id
    assert first.event_id != second.event_id
    assert first.event_id != _item().event_id


def test_kafka_settings_take_keywords_as_well_as_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from services.common.settings import KafkaSettings

    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "env-host:1")
    assert KafkaSettings().bootstrap_servers == "env-host:1"
    assert KafkaSettings(bootstrap_servers="kw-host:2").bootstrap_servers == "kw-host:2"


def test_dead_letter_from_error_carries_the_payload_verbatim() -> None:
    now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    text = DeadLetter.from_error(
        source="router", error=ValueError("bad date"), raw="{ü".encode(), now=now, offset=7
    )
    assert (text.payload, text.payload_encoding) == ("{ü", "utf-8")
    assert (text.error_type, text.error, text.source_offset) == ("ValueError", "bad date", 7)
    assert text.event_id == DeadLetter.event_id_for("router", "{ü".encode())
    binary = DeadLetter.from_error(source="router", error=KeyError(), raw=b"\xff\x00", now=now)
    assert (binary.payload, binary.payload_encoding) == ("/wA=", "base64")
    assert binary.error == "KeyError"
