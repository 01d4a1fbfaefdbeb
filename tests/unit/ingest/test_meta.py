from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas import ItemAction, ItemKind, Platform, TimeSource
from schemas.registry import ChannelRegistry
from services.ingest.domain import NormaliseError, normalise
from tests.unit.ingest.conftest import load

FB = Platform.FACEBOOK
IG = Platform.INSTAGRAM
COMMENT_ID = "4466001_1137229630341542"


def test_facebook_comment_add(registry: ChannelRegistry) -> None:
    (item,) = normalise(FB, load("facebook_feed_comment_add.json"), registry=registry)
    assert item.channel_id == "facebook:nhshee" and item.channel_known
    assert item.kind is ItemKind.COMMENT and item.action is ItemAction.CREATED
    assert item.platform_item_id == COMMENT_ID
    assert item.thread_id == item.parent_id == "107654321_4466001"
    assert item.created_at == datetime(2022, 1, 18, 19, 47, 13, tzinfo=UTC)  # Unix seconds
    assert item.text == 'Where can I find the "Next Steps" form? \U0001f64f #Careers'
    assert item.hashtags == ["Careers"]
    assert item.author_id == "4503214156409827" and item.author_name == "Jane Smith"
    assert item.permalink == (
        "https://www.facebook.com/nhshee/posts/pfbid0abc?comment_id=1137229630341542"
    )


def test_facebook_reply_has_comment_parent_and_built_permalink(registry: ChannelRegistry) -> None:
    (item,) = normalise(FB, load("facebook_feed_comment_reply.json"), registry=registry)
    assert item.kind is ItemKind.REPLY
    assert item.parent_id == COMMENT_ID
    assert item.permalink == (
        "https://www.facebook.com/107654321/posts/4466001?comment_id=1137229630349999"
    )


@pytest.mark.parametrize(
    ("fixture", "action", "text"),
    [
        ("facebook_feed_comment_edited.json", ItemAction.EDITED, "Found it, thanks!"),
        ("facebook_feed_comment_remove.json", ItemAction.DELETED, ""),
        ("facebook_feed_comment_hide.json", ItemAction.HIDDEN, "Found it, thanks!"),
    ],
)
def test_facebook_edit_remove_hide_are_their_own_events(
    registry: ChannelRegistry, fixture: str, action: ItemAction, text: str
) -> None:
    (added,) = normalise(FB, load("facebook_feed_comment_add.json"), registry=registry)
    (item,) = normalise(FB, load(fixture), registry=registry)
    assert item.platform_item_id == added.platform_item_id
    assert item.action is action and item.text == text
    assert item.event_id != added.event_id


def test_facebook_mention_of_unregistered_page_goes_to_triage(registry: ChannelRegistry) -> None:
    (item,) = normalise(FB, load("facebook_mention.json"), registry=registry)
    assert item.kind is ItemKind.MENTION
    assert item.channel_id == "unknown:facebook:107654321"
    assert item.channel_known is False and item.addressed_account == "107654321"
    assert item.author_name == "Example page"
    assert item.created_at_source is TimeSource.DELIVERY  # mention carries no created_time


def test_facebook_reactions_and_own_comments_produce_nothing(registry: ChannelRegistry) -> None:
    assert normalise(FB, load("facebook_feed_reaction.json"), registry=registry) == []
    raw = load("facebook_feed_comment_add.json")
    raw["entry"][0]["changes"][0]["value"]["from"]["id"] = "nhshee"
    assert normalise(FB, raw, registry=registry) == []


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("verb", "explode", r"facebook: entry\[0\]\.changes\[0\]\.value\.verb: unsupported verb"),
        ("item", "poll", r"value\.item: unsupported feed item 'poll'"),
        ("created_time", "yesterday", r"value\.created_time: expected Unix seconds"),
        ("comment_id", None, r"value\.comment_id: missing"),
    ],
)
def test_facebook_malformed(
    registry: ChannelRegistry, path: str, value: object, message: str
) -> None:
    raw = load("facebook_feed_comment_add.json")
    raw["entry"][0]["changes"][0]["value"][path] = value
    with pytest.raises(NormaliseError, match=message):
        normalise(FB, raw, registry=registry)


def test_facebook_wrong_object(registry: ChannelRegistry) -> None:
    with pytest.raises(NormaliseError, match="facebook: object: expected a Page webhook"):
        normalise(FB, load("instagram_webhook_comments.json"), registry=registry)


def test_instagram_comment_webhook_uses_entry_time(registry: ChannelRegistry) -> None:
    top, reply = normalise(IG, load("instagram_webhook_comments.json"), registry=registry)
    assert top.created_at == datetime.fromtimestamp(1755779280, tz=UTC)
    assert top.created_at_source is TimeSource.DELIVERY
    assert top.text == "This is an example & it\u2019s great \U0001f60d #nhscareers @nhshee"
    assert top.hashtags == ["nhscareers"] and top.mentions == ["nhshee"]
    assert top.author_handle == "test_user" and top.thread_id == "18172143295349192"
    assert top.channel_id == "unknown:instagram:17841474524784050"
    assert reply.kind is ItemKind.REPLY and reply.parent_id == top.platform_item_id


def test_instagram_without_entry_time_falls_back_to_received_at(
    registry: ChannelRegistry,
) -> None:
    raw = load("instagram_webhook_comments.json")
    del raw["entry"][0]["time"]
    with pytest.raises(NormaliseError, match=r"instagram: entry\[0\]\.time: missing"):
        normalise(IG, raw, registry=registry)
    at = datetime(2026, 3, 1, 12, tzinfo=UTC)
    items = normalise(IG, raw, registry=registry, received_at=at)
    assert {i.created_at for i in items} == {at}


def test_instagram_live_comments_and_mentions(registry: ChannelRegistry) -> None:
    (live,) = normalise(IG, load("instagram_webhook_live_comments.json"), registry=registry)
    assert live.kind is ItemKind.LIVE_COMMENT and live.channel_id == "instagram:nhshee"
    in_comment, in_caption = normalise(
        IG, load("instagram_webhook_mentions.json"), registry=registry
    )
    assert in_comment.kind is ItemKind.MENTION
    assert in_comment.platform_item_id == "17894227972186120"
    assert in_comment.parent_id == "17918195224117851"
    assert in_caption.platform_item_id == "17918195224117852"


def test_instagram_graph_comments_with_plus0000_offsets(registry: ChannelRegistry) -> None:
    first, reply, second = normalise(
        IG, load("instagram_graph_comments.json"), registry=registry, channel="instagram:nhshee"
    )
    assert first.created_at == datetime(2017, 8, 31, 18, 10, 30, tzinfo=UTC)
    assert second.created_at == datetime(2018, 2, 23, 21, 32, 16, tzinfo=UTC)
    assert reply.kind is ItemKind.REPLY and reply.parent_id == first.platform_item_id
    assert reply.text == "Me too \U0001f60a"
    assert first.channel_id == "instagram:nhshee"


def test_instagram_graph_comments_need_a_channel(registry: ChannelRegistry) -> None:
    with pytest.raises(
        NormaliseError, match=r"instagram: data\[0\] \(channel\): the payload does not"
    ):
        normalise(IG, load("instagram_graph_comments.json"), registry=registry)


def test_instagram_unknown_field(registry: ChannelRegistry) -> None:
    raw = load("instagram_webhook_comments.json")
    raw["entry"][0]["changes"][0]["field"] = "story_insights"
    with pytest.raises(
        NormaliseError, match="unsupported Instagram webhook field 'story_insights'"
    ):
        normalise(IG, raw, registry=registry)
