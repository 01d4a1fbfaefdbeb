"""LinkedIn social action notifications and changelog comment events."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas import ItemAction, ItemKind, Platform, TimeSource
from schemas.registry import ChannelRegistry
from services.ingest.domain import NormaliseError, normalise
from tests.unit.ingest.conftest import load

LI = Platform.LINKEDIN
CHANNEL = "linkedin:health-education-england"
URN = "urn:li:comment:(urn:li:activity:6671454282877530112,6671459734393835520)"


def test_notifications_comment_edit_delete_and_silent_like(
    connected_registry: ChannelRegistry,
) -> None:
    created, edited, deleted = normalise(
        LI, load("linkedin_notifications.json"), registry=connected_registry
    )
    # The push names the organisation: the registry's account id finds the channel.
    assert {i.channel_id for i in (created, edited, deleted)} == {CHANNEL}
    assert created.platform_item_id == edited.platform_item_id == deleted.platform_item_id == URN
    assert created.kind is ItemKind.COMMENT and created.action is ItemAction.CREATED
    assert created.text == "When does the next cohort start?"
    assert created.thread_id == "urn:li:share:6671454282546180096"
    assert created.created_at == datetime.fromtimestamp(1590605165.466, tz=UTC)
    assert created.author_id is None  # notifications do not name the commenter
    assert edited.action is ItemAction.EDITED and edited.text.endswith("(2027)")
    assert edited.created_at_source is TimeSource.DELIVERY
    assert deleted.action is ItemAction.DELETED and deleted.text == ""
    assert len({created.event_id, edited.event_id, deleted.event_id}) == 3


def test_notification_of_unknown_organisation_goes_to_triage(registry: ChannelRegistry) -> None:
    items = normalise(LI, load("linkedin_notifications.json"), registry=registry)
    assert {i.channel_id for i in items} == {"unknown:linkedin:urn:li:organization:2414183"}


def test_pull_finder_elements_and_polled_channel(registry: ChannelRegistry) -> None:
    pushed = load("linkedin_notifications.json")
    pulled = {"elements": pushed["notifications"][:1], "paging": {"start": 0, "count": 10}}
    (item,) = normalise(LI, pulled, registry=registry, channel=CHANNEL)
    assert item.channel_id == CHANNEL and item.channel_known


def test_unknown_notification_action_is_refused(registry: ChannelRegistry) -> None:
    raw = load("linkedin_notifications.json")
    raw["notifications"][0]["action"] = "TELEPORT"
    with pytest.raises(NormaliseError, match=r"notifications\[0\]\.action: unsupported"):
        normalise(LI, raw, registry=registry)


def test_changelog_create_update_delete(registry: ChannelRegistry) -> None:
    items = normalise(LI, load("linkedin_changelog.json"), registry=registry, channel=CHANNEL)
    created, again, edit, deleted = items  # UPDATE repeats the comment, then its edit
    urn = "urn:li:comment:(urn:li:ugcPost:123456789,123456789)"
    assert created.platform_item_id == urn and created.text == "What a lovely event!"
    assert again.event_id == created.event_id  # the repeat is a harmless duplicate
    assert edit.action is ItemAction.EDITED and edit.text == "What a lovely event! \U0001f389"
    assert edit.occurred_at == datetime.fromtimestamp(1558381370.695, tz=UTC)
    assert deleted.action is ItemAction.DELETED and deleted.platform_item_id == urn
    assert deleted.created_at == datetime.fromtimestamp(1558381470.997, tz=UTC)
    assert deleted.author_id == "urn:li:person:Ylpq-RobP9"


def test_changelog_delete_without_uri_is_refused(registry: ChannelRegistry) -> None:
    raw = load("linkedin_changelog.json")
    event = raw["elements"][2]
    event["resourceUri"] = "/somewhere/else"
    del event["resourceId"]
    with pytest.raises(NormaliseError, match=r"elements\[0\]\.resourceUri: a deletion must name"):
        normalise(LI, {"elements": [event]}, registry=registry, channel=CHANNEL)
