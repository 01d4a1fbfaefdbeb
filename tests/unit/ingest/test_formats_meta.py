"""Facebook and Instagram shapes: own comments, visitor posts, attachments, Graph pages, old
webhooks."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas import ItemAction, ItemKind, MediaRef, Platform, TimeSource
from schemas.registry import ChannelRegistry
from services.ingest.domain import normalise
from tests.unit.ingest.conftest import load

FB = Platform.FACEBOOK
IG = Platform.INSTAGRAM


def test_comment_with_photo_keeps_the_photo(registry: ChannelRegistry) -> None:
    (item,) = normalise(FB, load("facebook_feed_comment_photo.json"), registry=registry)
    assert item.media == [
        MediaRef(
            type="photo", url="https://scontent.xx.fbcdn.net/v/t39.30808-6/123_n.jpg?_nc_cat=1"
        )
    ]
    assert item.kind is ItemKind.COMMENT and item.text == "Is this the right form?"


def test_visitor_post_with_photos_is_a_mention_by_its_sender(registry: ChannelRegistry) -> None:
    (item,) = normalise(FB, load("facebook_feed_visitor_post.json"), registry=registry)
    assert item.kind is ItemKind.MENTION and item.action is ItemAction.CREATED
    assert item.platform_item_id == "107654321_4466100"
    assert item.author_id == "1000999888777" and item.author_name == "Alex Visitor"
    assert [m.type for m in item.media] == ["photo", "photo"]
    assert item.hashtags == ["Careers"]


def test_video_post_link_is_a_video(registry: ChannelRegistry) -> None:
    (item,) = normalise(FB, load("facebook_feed_video_post.json"), registry=registry)
    assert item.media == [
        MediaRef(type="video", url="https://www.facebook.com/107654321/videos/4466200/")
    ]


def test_link_comment_without_created_time_is_dated_by_delivery(
    registry: ChannelRegistry,
) -> None:
    (item,) = normalise(FB, load("facebook_feed_link_comment_no_time.json"), registry=registry)
    assert item.media == [MediaRef(type="link", url="https://www.healthcareers.nhs.uk/")]
    assert item.created_at_source is TimeSource.DELIVERY
    assert item.created_at == datetime.fromtimestamp(1764064800, tz=UTC)


@pytest.mark.parametrize("verb", ["add", "edited", "remove", "hide"])
def test_page_own_post_by_sender_id_is_never_an_item(registry: ChannelRegistry, verb: str) -> None:
    raw = load("facebook_feed_page_own_post.json")
    raw["entry"][0]["changes"][0]["value"]["verb"] = verb
    assert normalise(FB, raw, registry=registry) == []


@pytest.mark.parametrize("verb", ["add", "edited", "remove"])
def test_page_own_comment_by_from_id_is_never_an_item(registry: ChannelRegistry, verb: str) -> None:
    raw = load("facebook_feed_comment_photo.json")
    raw["entry"][0]["changes"][0]["value"]["from"]["id"] = "nhshee"
    raw["entry"][0]["changes"][0]["value"]["verb"] = verb
    assert normalise(FB, raw, registry=registry) == []


def test_removed_comment_carries_no_media(registry: ChannelRegistry) -> None:
    raw = load("facebook_feed_comment_photo.json")
    raw["entry"][0]["changes"][0]["value"]["verb"] = "remove"
    (item,) = normalise(FB, raw, registry=registry)
    assert item.action is ItemAction.DELETED and item.media == [] and item.text == ""


def test_graph_feed_page_skips_the_page_and_keeps_attachments(registry: ChannelRegistry) -> None:
    items = normalise(
        FB, load("facebook_graph_feed.json"), registry=registry, channel="facebook:nhshee"
    )
    # The Page's own reply (from.id is the post's owner) is left out.
    first, photo = items
    assert first.platform_item_id == "4466001_1137229630341542"
    assert first.text == 'Where can I find the "Next Steps" form? \U0001f64f'
    assert first.created_at == datetime(2026, 11, 25, 9, 47, 13, tzinfo=UTC)  # '+0000'
    assert first.thread_id == first.parent_id == "107654321_4466001"
    assert first.permalink == (
        "https://www.facebook.com/nhshee/posts/pfbid0abc?comment_id=1137229630341542"
    )
    assert first.channel_id == "facebook:nhshee"
    # No `from`: the viewer may not see the author; the item says so by leaving it empty.
    assert photo.author_id is None
    assert photo.media == [
        MediaRef(type="photo", url="https://scontent.xx.fbcdn.net/v/t39.30808-6/123_n.jpg")
    ]


def test_graph_and_webhook_give_one_event_for_one_comment(registry: ChannelRegistry) -> None:
    (hooked,) = normalise(FB, load("facebook_feed_comment_add.json"), registry=registry)
    polled = normalise(
        FB, load("facebook_graph_feed.json"), registry=registry, channel="facebook:nhshee"
    )
    assert hooked.event_id == polled[0].event_id  # backfill after an outage: no duplicates


def test_graph_page_own_comment_by_registry_id(connected_registry: ChannelRegistry) -> None:
    comment = {"id": "4466001_9", "message": "Thanks!", "from": {"id": "107654321"}}
    raw = {"data": [{**comment, "created_time": "2026-11-25T10:00:00+0000"}]}
    assert normalise(FB, raw, registry=connected_registry, channel="facebook:nhshee") == []


def test_instagram_pre2021_comment_has_no_author_or_media(registry: ChannelRegistry) -> None:
    (item,) = normalise(IG, load("instagram_webhook_comments_pre2021.json"), registry=registry)
    assert item.kind is ItemKind.COMMENT and item.text == "This is an example."
    assert item.author_id is None and item.thread_id is None and item.parent_id is None
    assert item.created_at_source is TimeSource.DELIVERY
    assert item.created_at == datetime.fromtimestamp(1571911568, tz=UTC)


def test_instagram_pre2021_live_comment(registry: ChannelRegistry) -> None:
    (item,) = normalise(IG, load("instagram_webhook_live_comments_pre2021.json"), registry=registry)
    assert item.kind is ItemKind.LIVE_COMMENT and item.author_id is None


def test_instagram_media_page_comments_and_replies(connected_registry: ChannelRegistry) -> None:
    items = normalise(
        IG, load("instagram_graph_media_comments.json"), registry=connected_registry,
        channel="instagram:nhshee",
    )  # fmt: skip
    # The account's own reply ('nhshee') is left out; the media without comments gives none.
    top, reply = items
    assert top.thread_id == top.parent_id == "17895695668004550"
    assert top.created_at == datetime(2026, 11, 25, 18, 10, 30, tzinfo=UTC)
    assert top.author_id == "17841400000000001" and top.mentions == ["nhshee"]
    assert reply.kind is ItemKind.REPLY and reply.parent_id == top.platform_item_id
    assert reply.thread_id == "17895695668004550" and reply.author_handle == "fan_2"


def test_page_own_comment_by_registry_account_id(connected_registry: ChannelRegistry) -> None:
    raw = load("facebook_feed_comment_photo.json")  # entry names the Page as 'nhshee'
    raw["entry"][0]["changes"][0]["value"]["from"]["id"] = "107654321"  # its numeric id
    assert normalise(FB, raw, registry=connected_registry) == []
