from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas import ItemAction, ItemKind, Platform
from schemas.registry import ChannelRegistry
from services.ingest.domain import NormaliseError, normalise
from tests.unit.ingest.conftest import load

YT = "youtube:healtheducationengland"


def test_youtube_threads_with_nested_replies_and_edits(registry: ChannelRegistry) -> None:
    items = normalise(
        Platform.YOUTUBE, load("youtube_comment_threads.json"), registry=registry, channel=YT
    )
    top, reply, emoji, html_top, html_edit = items
    assert top.text == "Nobody's love ... Song title made me die from laughter"  # textOriginal
    assert top.created_at == datetime(2022, 12, 17, 4, 19, 11, tzinfo=UTC)
    assert top.permalink == (
        "https://www.youtube.com/watch?v=7ghhRHRP6t4&lc=UgxISZhP_62DIrtv2r94AaABAg"
    )
    assert reply.kind is ItemKind.REPLY and reply.parent_id == top.platform_item_id
    assert reply.thread_id == "7ghhRHRP6t4"
    assert reply.text == "@Amit Sharma same <3" and reply.author_handle == "logan_fan"
    assert emoji.text == "12/15/2022 ✌️🤟🏼💚🤎❤️"
    assert html_top.hashtags == ["Namaste"]
    assert html_edit.action is ItemAction.EDITED
    assert html_edit.occurred_at == datetime(2022, 12, 14, 8, tzinfo=UTC)
    assert html_edit.created_at == html_top.created_at
    assert {i.channel_id for i in items} == {YT}


def test_youtube_comments_list_falls_back_to_html_text_display(registry: ChannelRegistry) -> None:
    _, withheld = normalise(
        Platform.YOUTUBE, load("youtube_comments_list.json"), registry=registry, channel=YT
    )
    assert withheld.text == "Don't know how this song went miserably underrated"


def test_youtube_unknown_channel_and_bad_kind(registry: ChannelRegistry) -> None:
    items = normalise(Platform.YOUTUBE, load("youtube_comment_threads.json"), registry=registry)
    assert items[0].channel_id == "unknown:youtube:ucp22mybntbnaspmy3ac4sdw"
    assert items[0].addressed_account == "UCP22MyBntbNASpmy3aC4sdw"
    with pytest.raises(NormaliseError, match="youtube: kind: expected 'youtube#comment"):
        normalise(Platform.YOUTUBE, {"kind": "youtube#videoListResponse"}, registry=registry)


def test_youtube_timestamp_without_offset_is_refused(registry: ChannelRegistry) -> None:
    raw = load("youtube_comment_threads.json")
    raw["items"][0]["snippet"]["topLevelComment"]["snippet"]["publishedAt"] = "2022-12-17T04:19:11"
    with pytest.raises(
        NormaliseError,
        match=r"topLevelComment\.snippet\.publishedAt: timestamp "
        "has no UTC offset",
    ):
        normalise(Platform.YOUTUBE, raw, registry=registry, channel=YT)


def test_flickr_comments_strip_html_and_url_markup(registry: ChannelRegistry) -> None:
    first, second = normalise(Platform.FLICKR, load("flickr_comments.json"), registry=registry)
    assert first.created_at == datetime.fromtimestamp(1141841470, tz=UTC)  # string seconds
    assert first.text == "Umm, I'm not sure, can I get back to you on that one?"
    assert first.author_name == "Daniel Catt" and first.author_id == "35468159852@N01"
    assert first.thread_id == "109722179"
    assert (
        first.permalink == "http://www.flickr.com/photos/straup/109722179/#comment72057594077818641"
    )
    # The photo owner comes from the permalink when no channel is given.
    assert first.channel_id == "unknown:flickr:straup"
    assert second.text == (
        "Lovely & bright! see this https://www.flickr.com/photos/other/5678/ 📷 #photography"
    )
    assert second.hashtags == ["photography"]


def test_flickr_polled_channel_wins(registry: ChannelRegistry) -> None:
    items = normalise(
        Platform.FLICKR,
        load("flickr_comments.json"),
        registry=registry,
        channel="flickr:nhshealtheducationengland",
    )
    assert {i.channel_id for i in items} == {"flickr:nhshealtheducationengland"}
    assert all(i.channel_known for i in items)


def test_flickr_api_error_is_specific(registry: ChannelRegistry) -> None:
    with pytest.raises(
        NormaliseError,
        match=r"flickr: stat: API call failed \('fail', code 1\): "
        r"Photo \"999\" not found",
    ):
        normalise(Platform.FLICKR, load("flickr_error.json"), registry=registry)


def test_linkedin_comments_epoch_ms_and_edits(registry: ChannelRegistry) -> None:
    top, reply, edit = normalise(
        Platform.LINKEDIN,
        load("linkedin_comments.json"),
        registry=registry,
        channel="linkedin:health-education-england",
    )
    assert top.created_at == datetime(2020, 2, 13, 23, 43, 34, 939000, tzinfo=UTC)
    assert top.platform_item_id == (
        "urn:li:comment:(urn:li:activity:6636062862760562688,6636064094446120960)"
    )
    assert top.mentions == ["Health Education England"]
    assert top.hashtags == ["NHSCareers"] and "👏" in top.text
    assert top.permalink is not None and top.permalink.startswith(
        "https://www.linkedin.com/feed/update/urn:li:activity:6636062862760562688?commentUrn="
    )
    assert reply.kind is ItemKind.REPLY and reply.parent_id == top.platform_item_id
    assert edit.action is ItemAction.EDITED
    assert edit.occurred_at == datetime.fromtimestamp(1558381290.429, tz=UTC)


def test_linkedin_needs_channel_and_valid_time(registry: ChannelRegistry) -> None:
    with pytest.raises(NormaliseError, match=r"linkedin: elements\[0\] \(channel\): the payload"):
        normalise(Platform.LINKEDIN, load("linkedin_comments.json"), registry=registry)
    raw = load("linkedin_comments.json")
    raw["elements"][0]["created"]["time"] = "last tuesday"
    with pytest.raises(
        NormaliseError,
        match=r"elements\[0\]\.created\.time: expected Unix "
        "milliseconds",
    ):
        normalise(Platform.LINKEDIN, raw, registry=registry, channel="linkedin:x")
