"""Every payload builder produces the platform's own format, and it normalises."""

from __future__ import annotations

from datetime import UTC, datetime

from schemas import ItemAction, ItemKind, Platform, TimeSource
from schemas.registry import ChannelRegistry
from services.demo import payloads
from services.ingest.domain import normalise

AT = datetime(2026, 11, 23, 9, 30, 15, tzinfo=UTC)
LATER = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def test_twitter_mention_webhook(registry: ChannelRegistry) -> None:
    raw = payloads.twitter_mention_webhook(
        for_user_id="111",
        addressed_handle="@HEE_KSS",
        tweet_id="1860000000000000001",
        text="Is the <deadline> today? #Rotation & more 🩺",
        created_at=AT,
        author_id="222",
        author_handle="trainee",
        author_name="A Trainee",
    )
    assert raw["tweet_create_events"][0]["created_at"] == "Mon Nov 23 09:30:15 +0000 2026"
    (item,) = normalise(Platform.TWITTER, raw, registry=registry)
    assert item.channel_id == "twitter:hee_kss" and item.kind is ItemKind.MENTION
    assert item.text == "@HEE_KSS Is the <deadline> today? #Rotation & more 🩺"
    assert item.created_at == AT and item.hashtags == ["Rotation"]
    assert item.author_handle == "trainee"
    reply = payloads.twitter_mention_webhook(
        for_user_id="111",
        addressed_handle="HEE_KSS",
        tweet_id="1860000000000000002",
        text="@HEE_KSS thanks",
        created_at=AT,
        author_id="222",
        author_handle="trainee",
        in_reply_to_status_id="1859999999999999999",
    )
    (item,) = normalise(Platform.TWITTER, reply, registry=registry)
    assert item.kind is ItemKind.COMMENT and item.parent_id == "1859999999999999999"


def test_twitter_delete_webhook(registry: ChannelRegistry) -> None:
    raw = payloads.twitter_delete_webhook(
        for_user_id="111", tweet_id="1860000000000000001", author_id="222", deleted_at=LATER
    )
    (item,) = normalise(Platform.TWITTER, raw, registry=registry)
    assert item.action is ItemAction.DELETED and item.created_at == LATER


def test_twitter_mentions_timeline(registry: ChannelRegistry) -> None:
    raw = payloads.twitter_mentions_timeline(
        addressed_handle="UKFPO",
        addressed_id="333",
        tweet_id="1860000000000000003",
        text="when do allocations open?",
        created_at=AT,
        author_id="222",
        author_handle="student",
    )
    assert raw["data"][0]["created_at"] == "2026-11-23T09:30:15.000Z"
    (item,) = normalise(Platform.TWITTER, raw, registry=registry)
    assert item.channel_id == "twitter:ukfpo" and item.created_at == AT
    assert item.mentions == ["UKFPO"] and item.author_handle == "student"


def test_facebook_comment_webhook_every_verb(registry: ChannelRegistry) -> None:
    kwargs = {
        "page_id": "nhshee",
        "post_id": "1_2",
        "comment_id": "2_3",
        "text": "Hello &amp; 👋",
        "created_at": AT,
        "author_id": "9",
        "author_name": "Jo",
    }
    ids = set()
    for verb, action in [
        ("add", ItemAction.CREATED),
        ("edited", ItemAction.EDITED),
        ("remove", ItemAction.DELETED),
        ("hide", ItemAction.HIDDEN),
        ("unhide", ItemAction.UNHIDDEN),
    ]:
        (item,) = normalise(
            Platform.FACEBOOK,
            payloads.facebook_comment_webhook(**kwargs, verb=verb),  # type: ignore[arg-type]
            registry=registry,
        )
        assert item.action is action and item.channel_id == "facebook:nhshee"
        assert item.created_at == AT.replace(second=15)
        assert item.text == ("" if verb == "remove" else "Hello & 👋")
        ids.add(item.event_id)
    assert len(ids) == 5
    (reply,) = normalise(
        Platform.FACEBOOK,
        payloads.facebook_comment_webhook(**kwargs, parent_id="2_1"),  # type: ignore[arg-type]
        registry=registry,
    )
    assert reply.kind is ItemKind.REPLY


def test_facebook_mention_webhook(registry: ChannelRegistry) -> None:
    raw = payloads.facebook_mention_webhook(
        page_id="nhshee", post_id="5_6", sender_id="5", sender_name="A Trust", created_at=AT
    )
    (item,) = normalise(Platform.FACEBOOK, raw, registry=registry)
    assert item.kind is ItemKind.MENTION and item.platform_item_id == "5_6"


def test_instagram_builders(registry: ChannelRegistry) -> None:
    raw = payloads.instagram_comment_webhook(
        account_id="nhshee",
        comment_id="178",
        media_id="179",
        text="Love this 😍 #nhs",
        author_id="1",
        author_handle="fan",
        sent_at=AT,
    )
    (item,) = normalise(Platform.INSTAGRAM, raw, registry=registry)
    assert item.channel_id == "instagram:nhshee" and item.created_at == AT
    assert item.created_at_source is TimeSource.DELIVERY and item.hashtags == ["nhs"]
    live = payloads.instagram_comment_webhook(
        account_id="nhshee",
        comment_id="180",
        media_id="179",
        text="hi",
        author_id="1",
        author_handle="fan",
        sent_at=AT,
        live=True,
    )
    assert normalise(Platform.INSTAGRAM, live, registry=registry)[0].kind is ItemKind.LIVE_COMMENT
    mention = payloads.instagram_mention_webhook(account_id="nhshee", media_id="181", sent_at=AT)
    assert normalise(Platform.INSTAGRAM, mention, registry=registry)[0].kind is ItemKind.MENTION
    graph = payloads.instagram_graph_comments(
        comment_id="182", text="ok", created_at=AT, author_handle="fan"
    )
    assert graph["data"][0]["timestamp"] == "2026-11-23T09:30:15+0000"
    (item,) = normalise(Platform.INSTAGRAM, graph, registry=registry, channel="nhshee")
    assert item.created_at == AT and item.channel_id == "instagram:nhshee"


def test_youtube_comment_threads(registry: ChannelRegistry) -> None:
    raw = payloads.youtube_comment_threads(
        channel_id="HealthEducationEngland",
        video_id="vid1",
        comment_id="Ugx1",
        text="Don't stop 🎉",
        author_name="@viewer",
        author_channel_id="UCv",
        published_at=AT,
        updated_at=LATER,
    )
    created, edited = normalise(Platform.YOUTUBE, raw, registry=registry)
    assert created.channel_id == "youtube:healtheducationengland"
    assert created.text == "Don't stop 🎉" and created.author_handle == "viewer"
    assert edited.action is ItemAction.EDITED and edited.occurred_at == LATER


def test_flickr_comments(registry: ChannelRegistry) -> None:
    raw = payloads.flickr_comments(
        photo_id="555",
        owner="nhshealtheducationengland",
        comment_id="1-555-777",
        text='Great &amp; <a href="https://x.org">shot</a>',
        author_id="9@N01",
        author_name="Pat",
        created_at=AT,
    )
    assert raw["comments"]["comment"][0]["datecreate"] == str(int(AT.timestamp()))
    (item,) = normalise(Platform.FLICKR, raw, registry=registry)
    assert item.channel_id == "flickr:nhshealtheducationengland"
    assert item.text == "Great & shot" and item.created_at == AT


def test_linkedin_comments(registry: ChannelRegistry) -> None:
    raw = payloads.linkedin_comments(
        post_urn="urn:li:activity:1",
        comment_id="2",
        text="Congratulations 👏",
        actor="urn:li:person:abc",
        created_at=AT,
        edited_at=LATER,
    )
    created, edited = normalise(
        Platform.LINKEDIN, raw, registry=registry, channel="linkedin:health-education-england"
    )
    assert (
        created.created_at == AT
        and created.platform_item_id == "urn:li:comment:(urn:li:activity:1,2)"
    )
    assert edited.action is ItemAction.EDITED and edited.occurred_at == LATER
