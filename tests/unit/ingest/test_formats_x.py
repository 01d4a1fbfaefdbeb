"""X payload shapes beyond Account Activity basics: numeric ids, v1.1 statuses, XAA, quotes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas import ItemAction, ItemKind, Platform, TimeSource
from schemas.registry import ChannelRegistry
from services.ingest.domain import NormaliseError, normalise
from tests.unit.ingest.conftest import load

X = Platform.TWITTER
RECEIVED = datetime(2026, 11, 25, 8, 16, tzinfo=UTC)


def test_older_capture_without_id_str_uses_numeric_ids(registry: ChannelRegistry) -> None:
    (item,) = normalise(X, load("twitter_aaa_tweet_create_numeric_ids.json"), registry=registry)
    assert item.platform_item_id == "1050118621198921728"
    assert item.author_id == "6253282"
    assert item.channel_id == "twitter:hee_kss"
    assert item.kind is ItemKind.MENTION
    # The same tweet gives the same event id whichever way its id was spelled.
    (modern, _reply) = normalise(X, load("twitter_aaa_tweet_create.json"), registry=registry)
    assert modern.event_id == item.event_id


def test_v1_search_statuses_reply_quote_and_retweet(registry: ChannelRegistry) -> None:
    items = normalise(
        X, load("twitter_v1_search.json"), registry=registry, channel="twitter:hee_kss"
    )
    # The plain retweet is not addressed to anyone: two items, in order.
    reply, quote = items
    assert reply.kind is ItemKind.COMMENT
    assert reply.parent_id == "1860000000000000001"
    assert reply.text == "@HEE_KSS Does this include GP training & foundation? #Rotation2027"
    assert reply.hashtags == ["Rotation2027"]
    assert reply.created_at == datetime(2026, 11, 24, 11, 30, tzinfo=UTC)
    # A quote post names no one in its text; it is about the quoted post.
    assert quote.kind is ItemKind.MENTION
    assert quote.parent_id == "1860000000000000001"
    assert quote.channel_id == "twitter:hee_kss" and quote.author_handle == "ana_trainee"


def test_v1_timeline_array_without_channel_uses_the_known_mention(
    registry: ChannelRegistry,
) -> None:
    (item,) = normalise(X, load("twitter_v1_mentions_timeline.json"), registry=registry)
    assert item.channel_id == "twitter:hee_kss" and item.channel_known
    assert item.kind is ItemKind.COMMENT  # replies to the account's own post


def test_v1_status_naming_nobody_without_channel_is_refused(registry: ChannelRegistry) -> None:
    statuses = load("twitter_v1_search.json")["statuses"][1:2]  # the quote post
    with pytest.raises(NormaliseError, match=r"<root>\[0\]\.entities\.user_mentions: no account"):
        normalise(X, statuses, registry=registry)


def test_aaa_quote_of_our_post_is_addressed_to_us(registry: ChannelRegistry) -> None:
    quote = load("twitter_v1_search.json")["statuses"][1]
    raw = {"for_user_id": "2244994945", "tweet_create_events": [quote]}
    (item,) = normalise(X, raw, registry=registry)
    assert item.addressed_account == "HEE_KSS" and item.channel_id == "twitter:hee_kss"
    assert item.parent_id == "1860000000000000001"


def test_xaa_post_create_is_a_mention_with_its_author(registry: ChannelRegistry) -> None:
    (item,) = normalise(X, load("twitter_xaa_post_create.json"), registry=registry)
    assert item.platform_item_id == "1862000000000000001"
    assert item.kind is ItemKind.MENTION and item.action is ItemAction.CREATED
    assert item.channel_id == "twitter:hee_kss"
    assert item.author_handle == "chris_applies" and item.author_name == "Chris Applicant"
    assert item.created_at == datetime(2026, 11, 25, 8, 15, 30, tzinfo=UTC)


def test_xaa_reply_to_the_filtered_account_is_a_comment(
    connected_registry: ChannelRegistry,
) -> None:
    (item,) = normalise(X, load("twitter_xaa_post_reply.json"), registry=connected_registry)
    assert item.kind is ItemKind.COMMENT
    assert item.parent_id == "1861000000000000000"
    assert item.channel_id == "twitter:hee_kss"


def test_xaa_delete_is_dated_by_delivery_and_says_so(registry: ChannelRegistry) -> None:
    created = normalise(X, load("twitter_xaa_post_create.json"), registry=registry)[0]
    (item,) = normalise(
        X, load("twitter_xaa_post_delete.json"), registry=registry, received_at=RECEIVED
    )
    assert item.action is ItemAction.DELETED and item.text == ""
    assert item.platform_item_id == created.platform_item_id
    assert item.event_id != created.event_id
    assert item.created_at == RECEIVED and item.created_at_source is TimeSource.DELIVERY


def test_xaa_events_not_about_posts_are_acknowledged(registry: ChannelRegistry) -> None:
    assert normalise(X, load("twitter_xaa_profile_update.json"), registry=registry) == []


def test_xaa_own_post_and_unknown_post_event(registry: ChannelRegistry) -> None:
    raw = load("twitter_xaa_post_create.json")
    raw["data"]["payload"]["author_id"] = "2244994945"
    assert normalise(X, raw, registry=registry) == []
    raw["data"]["event_type"] = "post.teleport"
    with pytest.raises(NormaliseError, match=r"data\.event_type: unsupported post event"):
        normalise(X, raw, registry=registry)


def test_v2_quote_post_parent_is_the_quoted_post(registry: ChannelRegistry) -> None:
    (item,) = normalise(X, load("twitter_v2_quote.json"), registry=registry, channel="HEE_KSS")
    assert item.kind is ItemKind.MENTION
    assert item.parent_id == "1860000000000000001"
    assert item.author_handle == "sam_nurse"
    assert item.channel_id == "twitter:hee_kss"
