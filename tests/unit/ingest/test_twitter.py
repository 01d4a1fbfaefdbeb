from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas import ItemAction, ItemKind, Platform
from schemas.registry import ChannelRegistry
from services.ingest.domain import NormaliseError, normalise
from tests.unit.ingest.conftest import load


def test_account_activity_mention_and_reply(registry: ChannelRegistry) -> None:
    items = normalise(Platform.TWITTER, load("twitter_aaa_tweet_create.json"), registry=registry)
    # The third event is the account's own tweet: not an inbox item.
    assert [i.platform_item_id for i in items] == ["1050118621198921728", "1050295000000000001"]
    mention, reply = items
    assert mention.channel_id == "twitter:hee_kss" and mention.channel_known
    assert mention.addressed_account == "HEE_KSS"
    assert mention.kind is ItemKind.MENTION
    assert mention.created_at == datetime(2018, 10, 10, 20, 19, 24, tzinfo=UTC)
    # extended_tweet.full_text wins over the truncated text; entities unescaped; emoji intact.
    assert mention.text.endswith(
        "\U0001f44d\U0001f3fb\U0001f44d\U0001f3fd\U0001f44d\U0001f3ff. "
        "This is now reflected in Twitter-Text, our Open Source library. "
        "& more #TwitterDev"
    )
    assert mention.hashtags == ["TwitterDev"]
    assert mention.author_handle == "TwitterAPI" and mention.author_id == "6253282"
    assert mention.permalink == "https://twitter.com/TwitterAPI/status/1050118621198921728"
    assert reply.kind is ItemKind.COMMENT
    assert reply.parent_id == "1050200000000000000"
    assert reply.text == "@HEE_KSS Is the deadline <5pm> today? \U0001f914"


def test_delete_event_is_its_own_item(registry: ChannelRegistry) -> None:
    (item,) = normalise(Platform.TWITTER, load("twitter_aaa_tweet_delete.json"), registry=registry)
    assert item.action is ItemAction.DELETED
    assert item.platform_item_id == "1045405559317569537"
    assert item.text == ""
    assert item.created_at == datetime(2015, 5, 21, 17, 9, 15, 593000, tzinfo=UTC)
    # for_user_id is not in the registry yet: flagged for triage, never dropped.
    assert item.channel_id == "unknown:twitter:930524282358325248"
    assert not item.channel_known


def test_delete_and_create_of_same_tweet_have_different_event_ids(
    registry: ChannelRegistry,
) -> None:
    created = normalise(Platform.TWITTER, load("twitter_aaa_tweet_create.json"), registry=registry)
    raw = {
        "for_user_id": "2244994945",
        "tweet_delete_events": [
            {
                "status": {"id": created[0].platform_item_id, "user_id": "6253282"},
                "timestamp_ms": "1539203000000",
            }
        ],
    }
    (deleted,) = normalise(Platform.TWITTER, raw, registry=registry)
    assert deleted.event_id != created[0].event_id
    assert normalise(Platform.TWITTER, raw, registry=registry)[0].event_id == deleted.event_id


def test_other_account_activity_events_are_acknowledged_without_items(
    registry: ChannelRegistry,
) -> None:
    assert normalise(Platform.TWITTER, load("twitter_aaa_favorite.json"), registry=registry) == []


def test_v2_mentions_timeline(registry: ChannelRegistry) -> None:
    reply, edited = normalise(Platform.TWITTER, load("twitter_v2_mentions.json"), registry=registry)
    assert reply.channel_id == "twitter:hee_kss"
    assert reply.kind is ItemKind.COMMENT  # in_reply_to_user_id is the addressed account
    assert reply.created_at == datetime(2021, 3, 25, 18, 13, tzinfo=UTC)
    assert reply.author_handle == "LeBraat" and reply.author_name == "Le Braat"
    assert reply.thread_id == "1375152449594523648"
    assert reply.parent_id == "1375152449594523648"
    assert reply.hashtags == ["Rotation2024"]
    assert reply.mentions == ["HEE_KSS", "TwitterDev"]
    assert "& where" in reply.text and reply.text.endswith("\U0001f64f")
    assert edited.action is ItemAction.EDITED
    assert edited.kind is ItemKind.MENTION


def test_v2_polled_channel_overrides_mentions(registry: ChannelRegistry) -> None:
    items = normalise(
        Platform.TWITTER,
        load("twitter_v2_mentions.json"),
        registry=registry,
        channel="twitter:ukfpo",
    )
    assert {i.channel_id for i in items} == {"twitter:ukfpo"}


def test_numeric_id_is_refused_not_float_mangled(registry: ChannelRegistry) -> None:
    raw = load("twitter_aaa_tweet_create.json")
    raw["tweet_create_events"][0]["id_str"] = 1050118621198921728
    with pytest.raises(
        NormaliseError,
        match=r"twitter: tweet_create_events\[0\]\.id_str: "
        "expected a string, got int",
    ):
        normalise(Platform.TWITTER, raw, registry=registry)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda r: r["tweet_create_events"][0].update(created_at="2018-10-10T20:19:24Z"),
            r"tweet_create_events\[0\]\.created_at: not a v1.1 date",
        ),
        (
            lambda r: r["tweet_create_events"][0].pop("user"),
            r"tweet_create_events\[0\]\.user: missing",
        ),
        (lambda r: r.update(tweet_create_events={}), r"tweet_create_events: expected an array"),
    ],
)
def test_malformed_account_activity(registry: ChannelRegistry, mutate, message: str) -> None:  # type: ignore[no-untyped-def]
    raw = load("twitter_aaa_tweet_create.json")
    mutate(raw)
    with pytest.raises(NormaliseError, match=message):
        normalise(Platform.TWITTER, raw, registry=registry)


def test_unrecognised_payload(registry: ChannelRegistry) -> None:
    with pytest.raises(NormaliseError, match="twitter: <root>: unrecognised payload"):
        normalise(Platform.TWITTER, {"hello": "world"}, registry=registry)
    # A JSON array is a v1.1 timeline: its elements must be status objects.
    with pytest.raises(NormaliseError, match=r"twitter: <root>\[0\]: expected a tweet object"):
        normalise(Platform.TWITTER, [42], registry=registry)
    with pytest.raises(NormaliseError, match="twitter: <root>: expected a JSON object, got str"):
        normalise(Platform.TWITTER, "tweet", registry=registry)
