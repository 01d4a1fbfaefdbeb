"""decide(): the queue for every kind of channel, held or queued, campaigns, and the reason."""

from __future__ import annotations

from datetime import datetime

import pytest

from schemas.enums import ChannelKind, RoutedStatus
from schemas.events import Campaign, InboxItem
from schemas.registry import ChannelRegistry, load_registry
from services.router.domain.calendar import NaiveDatetimeError, OfficeCalendar, build_calendars
from services.router.domain.decide import Decision, UnknownCalendarError, decide
from tests.unit.router.conftest import FIXTURES, campaign, item

OPEN = datetime.fromisoformat("2026-11-23T10:00:00+00:00")  # Monday
SATURDAY = datetime.fromisoformat("2026-11-21T10:00:00+00:00")

EXPECTED_QUEUES = {
    "twitter:nhs_healthedeng": "press",
    "facebook:nhshee": "press",
    "linkedin:health-education-england": "digital",
    "instagram:nhshee": "digital",
    "youtube:healtheducationengland": "digital",
    "flickr:nhshealtheducationengland": "digital",
    "twitter:healthcareersuk": "programme:health-careers",
    "twitter:ukfpo": "programme:ukfpo",
    "twitter:hee_emids": "local:east-midlands",
    "twitter:hee_eoe": "local:east-of-england",
    "twitter:hee_kss": "local:kent-surrey-sussex",
    "twitter:hee_ncelondon": "local:north-central-east-london",
    "twitter:hee_neast": "local:north-east",
    "twitter:hee_nwest": "local:north-west",
    "twitter:hee_nwlondon": "local:north-west-london",
    "twitter:hee_slondon": "local:south-london",
    "twitter:hee_swest": "local:south-west",
    "twitter:hee_tvvalley": "local:thames-valley",
    "twitter:hee_wessex": "local:wessex",
    "twitter:hee_wmidlands": "local:west-midlands",
    "twitter:hee_yhumber": "local:yorkshire-humber",
}


def run(
    registry: ChannelRegistry,
    calendars: dict[str, OfficeCalendar],
    it: InboxItem,
    now: datetime,
    campaigns: list[Campaign] | None = None,
) -> Decision:
    return decide(
        it,
        registry=registry,
        campaigns=campaigns or [],
        calendars=calendars,
        now=now,
    )


@pytest.mark.parametrize(("channel", "queue"), sorted(EXPECTED_QUEUES.items()))
def test_every_shipped_channel_goes_to_its_owner(
    registry: ChannelRegistry, calendars: dict[str, OfficeCalendar], channel: str, queue: str
) -> None:
    decision = run(registry, calendars, item(channel), OPEN)
    assert decision.queue == queue
    assert decision.status is RoutedStatus.QUEUED
    assert decision.hold_until is None
    spec = registry.get(channel)
    assert spec is not None
    if spec.spec.kind is ChannelKind.CORPORATE:
        assert decision.rule == f"corporate-platform:{spec.spec.platform.value}"
        assert decision.reason.startswith(f"corporate {spec.spec.platform.value} channels")
    else:
        assert decision.rule == f"channel-owner:{channel}"
        assert f"owned by queue {queue}" in decision.reason
    assert decision.reason.endswith("office open - queued")


def test_the_registry_ships_exactly_the_issue_accounts(registry: ChannelRegistry) -> None:
    assert {c.id for c in registry} == set(EXPECTED_QUEUES)


def test_held_on_saturday_with_reason_naming_rule_and_verdict(
    registry: ChannelRegistry, calendars: dict[str, OfficeCalendar]
) -> None:
    decision = run(registry, calendars, item("facebook:nhshee"), SATURDAY)
    assert decision.status is RoutedStatus.HELD
    assert decision.hold_until is not None
    assert decision.hold_until.isoformat() == "2026-11-23T09:00:00+00:00"
    assert decision.reason == (
        "corporate facebook channels are worked by press; office closed (Saturday) - "
        "held until Mon 23 Nov 2026 09:00 GMT"
    )


def test_unknown_channel_goes_to_triage_with_the_account_in_the_reason(
    registry: ChannelRegistry, calendars: dict[str, OfficeCalendar]
) -> None:
    it = item("unknown:twitter:somebody", account="@Somebody")
    decision = run(registry, calendars, it, OPEN)
    assert decision.queue == "triage"
    assert decision.rule == "unknown-channel:twitter"
    assert "'@Somebody' on twitter is not in the channel registry" in decision.reason


def test_channel_marked_known_but_missing_from_this_registry_goes_to_triage(
    registry: ChannelRegistry, calendars: dict[str, OfficeCalendar]
) -> None:
    decision = run(registry, calendars, item("twitter:hee_newregion", known=True), OPEN)
    assert decision.queue == "triage"
    assert decision.rule == "unknown-channel:not-in-registry"
    assert "twitter:hee_newregion" in decision.reason


def test_unknown_channels_are_held_too_when_triage_is_closed(
    registry: ChannelRegistry, calendars: dict[str, OfficeCalendar]
) -> None:
    decision = run(registry, calendars, item("unknown:facebook:x"), SATURDAY)
    assert (decision.queue, decision.status) == ("triage", RoutedStatus.HELD)


def test_hold_until_is_in_the_queue_calendar_zone() -> None:
    reg = load_registry(FIXTURES / "two_zones.yaml")
    cals = build_calendars(reg)
    # Monday 10:00 London: press (London) is open; digital (Tokyo, 19:00) is closed.
    assert run(reg, cals, item("twitter:nhs_healthedeng"), OPEN).status is RoutedStatus.QUEUED
    digital = run(reg, cals, item("instagram:nhshee"), OPEN)
    assert digital.status is RoutedStatus.HELD
    assert digital.hold_until is not None
    assert digital.hold_until.isoformat() == "2026-11-24T09:00:00+09:00"
    assert digital.reason.endswith("tokyo closed (after hours, Monday) - held until Tue 24 Nov "
                                   "2026 09:00 JST")  # fmt: skip


def test_triage_closures_between_christmas_and_new_year() -> None:
    reg = load_registry(FIXTURES / "two_zones.yaml")
    decision = run(reg, build_calendars(reg), item("unknown:twitter:x"),
                   datetime.fromisoformat("2026-12-30T11:00:00+00:00"))  # fmt: skip
    assert decision.hold_until is not None
    assert decision.hold_until.isoformat() == "2027-01-04T09:00:00+00:00"
    assert "closure date Wed 30 Dec 2026" in decision.reason


def test_now_defaults_nothing_and_must_be_aware(
    registry: ChannelRegistry, calendars: dict[str, OfficeCalendar]
) -> None:
    with pytest.raises(NaiveDatetimeError):
        run(registry, calendars, item(), datetime(2026, 11, 23, 10))


def test_missing_calendar_is_an_error(registry: ChannelRegistry) -> None:
    with pytest.raises(UnknownCalendarError):
        run(registry, {}, item(), OPEN)


def test_decision_json_shape(
    registry: ChannelRegistry, calendars: dict[str, OfficeCalendar]
) -> None:
    data = run(registry, calendars, item(), SATURDAY).as_json()
    assert list(data) == ["queue", "status", "hold_until", "campaigns", "rule", "reason"]
    assert data["status"] == "held"
    assert data["hold_until"] == "2026-11-23T09:00:00+00:00"


@pytest.mark.parametrize(
    ("created_at", "tags", "text", "campaigns", "expected"),
    [
        # Case-insensitive, from the item's hashtags or its text.
        ("2026-11-23T10:00:00+00:00", ["nhscareers"], "", [("NHSCareers", "2026-11-01", None)],
         ["nhscareers"]),
        ("2026-11-23T10:00:00+00:00", [], "join us #NHSCAREERS!",
         [("NHSCareers", "2026-11-01", None)], ["nhscareers"]),
        # From the start date (inclusive), to the end date (inclusive).
        ("2026-11-01T00:00:00+00:00", ["x"], "", [("X", "2026-11-01", "2026-11-30")], ["x"]),
        ("2026-10-31T23:59:59+00:00", ["x"], "", [("X", "2026-11-01", "2026-11-30")], []),
        ("2026-11-30T23:59:59+00:00", ["x"], "", [("X", "2026-11-01", "2026-11-30")], ["x"]),
        ("2026-12-01T00:00:00+00:00", ["x"], "", [("X", "2026-11-01", "2026-11-30")], []),
        # UK dates: 23:30 UTC on 30 Jun is 1 Jul in London (BST).
        ("2026-06-30T23:30:00+00:00", ["x"], "", [("X", "2026-07-01", None)], ["x"]),
        ("2026-06-30T22:59:59+00:00", ["x"], "", [("X", "2026-07-01", None)], []),
        # Posted in New York on 30 Nov evening = 1 Dec in the UK.
        ("2026-11-30T23:30:00-05:00", ["x"], "", [("X", "2026-11-01", "2026-11-30")], []),
        # Several campaigns: sorted, de-duplicated, non-matching tags ignored.
        ("2026-11-23T10:00:00+00:00", ["b", "A", "a"], "", [("A", "2026-01-01", None),
         ("B", "2026-01-01", None), ("C", "2026-01-01", None)], ["a", "b"]),
        # A word that merely contains the tag does not match.
        ("2026-11-23T10:00:00+00:00", [], "nhscareers without hash",
         [("NHSCareers", "2026-11-01", None)], []),
    ],
)  # fmt: skip
def test_campaign_matching(
    registry: ChannelRegistry,
    calendars: dict[str, OfficeCalendar],
    created_at: str,
    tags: list[str],
    text: str,
    campaigns: list[tuple[str, str, str | None]],
    expected: list[str],
) -> None:
    it = item(created_at=created_at, hashtags=tags, text=text)
    tracked = [campaign(tag, start, end) for tag, start, end in campaigns]
    decision = run(registry, calendars, it, OPEN, tracked)
    assert list(decision.campaigns) == expected


def test_inactive_campaigns_do_not_match(
    registry: ChannelRegistry, calendars: dict[str, OfficeCalendar]
) -> None:
    tracked = [campaign("X", "2026-01-01", active=False)]
    decision = run(registry, calendars, item(hashtags=["x"]), OPEN, tracked)
    assert decision.campaigns == ()
