"""The real router worker on the real broker: route, dead-letter, dedupe, hold, release."""

from __future__ import annotations

import signal
import time
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from kafka import KafkaProducer

from schemas.envelope import make_event_id
from schemas.events import Campaign
from schemas.topics import INBOX_CAMPAIGNS, INBOX_ITEMS
from services.common.kafka_admin import admin_client
from services.common.settings import KafkaSettings
from tests.integration.router.support import RouterProcess, make_item, send, send_item
from tests.support.clock import set_clock
from tests.support.kafka import KafkaRecorder

MONDAY_OPEN = "2026-11-23T10:00:00+00:00"
SATURDAY = "2026-11-21T10:00:00+00:00"
MONDAY_OPENING = "2026-11-23T09:00:00+00:00"


def by_status(events: list[dict[str, Any]], status: str) -> list[dict[str, Any]]:
    return [e for e in events if e["status"] == status]


def test_routes_items_dead_letters_bad_ones_and_skips_duplicates(
    router_process: Callable[[str], RouterProcess],
    kafka_settings: KafkaSettings,
    producer: KafkaProducer,
    routed: KafkaRecorder,
    deadletters: KafkaRecorder,
) -> None:
    router_process(MONDAY_OPEN)
    press = make_item(1, channel="facebook:nhshee", created_at=MONDAY_OPEN)
    local = make_item(2, channel="twitter:hee_kss", created_at=MONDAY_OPEN)
    unknown = make_item(3, channel="unknown:twitter:somebody", created_at=MONDAY_OPEN)
    for item in (press, local, unknown, press):  # press twice: a webhook retry
        send_item(producer, kafka_settings, item)
    items_topic = kafka_settings.topic(INBOX_ITEMS)
    send(producer, items_topic, "facebook:nhshee", b"{not json")
    send(producer, items_topic, "facebook:nhshee", b'{"event_id": "nope"}')
    # After the bad ones, in the same partition as the first press item:
    last = make_item(4, channel="facebook:nhshee", created_at=MONDAY_OPEN)
    send_item(producer, kafka_settings, last)

    seen = routed.expect(
        lambda s: (
            {e["item"]["event_id"] for e in s}
            >= {str(i.event_id) for i in (press, local, unknown, last)}
        )
    )
    letters = deadletters.expect(lambda s: len(s) >= 2)

    queues = {e["item"]["event_id"]: e["queue"] for e in seen}
    assert queues[str(press.event_id)] == "press"
    assert queues[str(local.event_id)] == "local:kent-surrey-sussex"
    assert queues[str(unknown.event_id)] == "triage"
    assert all(e["status"] == "queued" and e["hold_until"] is None for e in seen)
    triage = next(e for e in seen if e["queue"] == "triage")
    assert "not in the channel registry" in triage["reason"]
    assert {d["source"] for d in letters} == {"router"}
    assert any("not valid JSON" in d["error"] for d in letters)
    assert any("InboxItem v1" in d["error"] for d in letters)
    # The duplicate was in the same partition before `last`, so it was seen and skipped.
    routed.settle(2)
    counts = Counter(e["item"]["event_id"] for e in routed.seen)
    assert counts[str(press.event_id)] == 1


def find(events: list[dict[str, Any]], item_event_id: str) -> dict[str, Any] | None:
    return next((e for e in events if e["item"]["event_id"] == item_event_id), None)


def test_campaigns_from_the_compacted_topic_are_matched(
    router_process: Callable[[str], RouterProcess],
    kafka_settings: KafkaSettings,
    producer: KafkaProducer,
    routed: KafkaRecorder,
) -> None:
    router_process(MONDAY_OPEN)
    campaign = Campaign(
        event_id=make_event_id("campaign", "careers-week"),
        occurred_at="2026-11-01T00:00:00+00:00",
        campaign_id="careers-week",
        name="Careers week",
        hashtag="NHSCareers",
        owner_queue="digital",
        start_date=date(2026, 11, 1),
    )
    send(producer, kafka_settings.topic(INBOX_CAMPAIGNS), "careers-week", campaign.to_bytes())
    # The campaign and item agents run independently: probe until the campaign is in.
    for n in range(40):
        probe = make_item(f"p{n}", created_at=MONDAY_OPEN, text="love it #nhscareers")
        send_item(producer, kafka_settings, probe)
        event_id = str(probe.event_id)
        found = routed.expect(lambda s, i=event_id: find(s, i) is not None)  # type: ignore[misc]
        mine = find(found, event_id)
        assert mine is not None
        if mine["campaigns"]:
            assert mine["campaigns"] == ["nhscareers"]
            return
    raise AssertionError("campaign never matched")


def test_held_while_closed_and_released_in_arrival_order_at_opening(
    router_process: Callable[[str], RouterProcess],
    kafka_settings: KafkaSettings,
    producer: KafkaProducer,
    routed: KafkaRecorder,
    clock_file: Path,
) -> None:
    router_process(SATURDAY)
    items = [make_item(n, channel="twitter:hee_kss", created_at=SATURDAY) for n in range(3)]
    for item in items:
        send_item(producer, kafka_settings, item)
    held = routed.expect(lambda s: len(by_status(s, "held")) == 3)
    assert {e["hold_until"] for e in held} == {"2026-11-23T09:00:00Z"}
    assert all("office closed (Saturday)" in e["reason"] for e in held)
    assert by_status(routed.seen, "released") == []

    set_clock(clock_file, MONDAY_OPENING)
    routed.expect(lambda s: len(by_status(s, "released")) == 3)
    released = by_status(routed.seen, "released")
    assert [e["item"]["event_id"] for e in released] == [str(i.event_id) for i in items]
    assert all(e["queue"] == "local:kent-surrey-sussex" for e in released)


def test_holds_survive_sigkill_and_are_released_exactly_once(
    router_process: Callable[[str], RouterProcess],
    kafka_settings: KafkaSettings,
    producer: KafkaProducer,
    routed: KafkaRecorder,
    clock_file: Path,
) -> None:
    worker = router_process(SATURDAY)
    channels = ["facebook:nhshee", "twitter:hee_kss", "youtube:healtheducationengland",
                "twitter:ukfpo", "unknown:twitter:stranger"]  # fmt: skip
    items = [make_item(n, channel=c, created_at=SATURDAY) for n, c in enumerate(channels * 2)]
    for item in items:
        send_item(producer, kafka_settings, item)
    routed.expect(lambda s: len(by_status(s, "held")) >= len(items))
    # Kill only once the items' offsets are committed, so the restarted worker cannot simply
    # route them again: the holds must come back from the held table's changelog.
    wait_committed(kafka_settings, worker, total=len(items))

    worker.kill(signal.SIGKILL)
    worker.start()
    set_clock(clock_file, MONDAY_OPENING)

    routed.expect(lambda s: len(by_status(s, "released")) >= len(items), timeout=90)
    routed.settle(5)
    released = Counter(e["item"]["event_id"] for e in by_status(routed.seen, "released"))
    assert released == Counter({str(i.event_id): 1 for i in items})
    assert len(by_status(routed.seen, "held")) == len(items)  # not routed a second time


def wait_committed(kafka: KafkaSettings, worker: RouterProcess, *, total: int) -> None:
    group = kafka.topic_prefix + worker.env["SWITCHBOARD_ROUTER_APP_ID"]
    admin = admin_client(kafka.bootstrap_servers)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            offsets = admin.list_group_offsets(group).get(group, {})
            done = sum(
                meta.offset
                for tp, meta in offsets.items()
                if tp.topic == kafka.topic(INBOX_ITEMS) and meta.offset > 0
            )
            if done >= total:
                return
            time.sleep(0.5)
        raise AssertionError(f"group {group} never committed {total} item offsets")
    finally:
        admin.close()


def test_sigkill_in_the_middle_of_a_release_burst_repeats_only_identical_events(
    router_process: Callable[[str], RouterProcess],
    kafka_settings: KafkaSettings,
    producer: KafkaProducer,
    routed: KafkaRecorder,
    clock_file: Path,
) -> None:
    worker = router_process(SATURDAY)
    channels = ["facebook:nhshee", "twitter:hee_kss", "twitter:hee_emids", "twitter:ukfpo"]
    items = [make_item(n, channel=c, created_at=SATURDAY) for n, c in enumerate(channels * 50)]
    for item in items:
        producer.send(
            kafka_settings.topic(INBOX_ITEMS), key=item.channel_id.encode(), value=item.to_bytes()
        )
    producer.flush()
    routed.expect(lambda s: len(by_status(s, "held")) >= len(items))
    wait_committed(kafka_settings, worker, total=len(items))

    # Open the office and kill the worker as soon as the first release shows: the tick's
    # releases are in flight or acknowledged with their holds not all deleted yet.
    set_clock(clock_file, MONDAY_OPENING)
    routed.expect(lambda s: len(by_status(s, "released")) >= 1)
    worker.kill(signal.SIGKILL)
    worker.start()

    routed.expect(lambda s: len({e["item"]["event_id"] for e in by_status(s, "released")})
                    >= len(items), timeout=90)  # fmt: skip
    routed.settle(5)
    released = by_status(routed.seen, "released")
    assert {e["item"]["event_id"] for e in released} == {str(i.event_id) for i in items}
    # Anything released twice is the same event, field for field, so consumers skip it.
    first: dict[str, dict[str, Any]] = {}
    for event in released:
        assert first.setdefault(event["item"]["event_id"], event) == event
    # Every hold is gone: nothing is released again on later ticks.
    count = len(released)
    routed.settle(3)
    assert len(by_status(routed.seen, "released")) == count
