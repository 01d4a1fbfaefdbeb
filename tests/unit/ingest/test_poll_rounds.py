"""Poller rounds against the fake platform: backlogs resume, LinkedIn resumes, X loop,
Meta backfill, health. (The real-broker versions are in tests/integration/ingest.)"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from pydantic import SecretStr

from schemas import Platform
from schemas.registry import ChannelRegistry
from services.ingest.health import HealthBook, prometheus, read_health
from services.ingest.pollers.adapters import adapters
from services.ingest.pollers.cursor import CursorStore
from services.ingest.pollers.http import Retry
from services.ingest.pollers.runner import Poller
from services.ingest.pollers.state import PollState
from services.ingest.settings import IngestSettings, PollTarget
from tests.fakes.platform import FakePlatform
from tests.unit.ingest.conftest import RecordingPublisher

T0 = datetime(2026, 11, 23, 9, tzinfo=UTC)
X = PollTarget(platform=Platform.TWITTER, channel="twitter:hee_kss", target="2244994945")
LI = PollTarget(
    platform=Platform.LINKEDIN,
    channel="linkedin:health-education-england",
    target="urn:li:activity:42",
)
FB = PollTarget(platform=Platform.FACEBOOK, channel="facebook:nhshee", target="107654321")
IG = PollTarget(platform=Platform.INSTAGRAM, channel="instagram:nhshee", target="17841405822304914")


def poller(
    tmp_path: Path,
    registry: ChannelRegistry,
    publisher: RecordingPublisher,
    fake: FakePlatform,
    *,
    max_pages: int = 50,
    health: HealthBook | None = None,
) -> Poller:
    settings = IngestSettings(
        x_bearer_token=SecretStr("x"),
        linkedin_token=SecretStr("li"),
        facebook_page_token=SecretStr("fb"),
        instagram_token=SecretStr("ig"),
    )
    return Poller(
        adapters=adapters(settings),
        client=httpx.Client(transport=fake.transport()),
        store=CursorStore(tmp_path / "cursors.sqlite3"),
        registry=registry,
        publisher=publisher,
        retry=Retry(attempts=2),
        clock=lambda: T0 + timedelta(hours=1),
        max_pages=max_pages,
        health=health or HealthBook(),
    )


def tweets(fake: FakePlatform, ids: range) -> None:
    fake.tweets += [(n, f"question {n}", T0 + timedelta(seconds=n)) for n in ids]


def ids(publisher: RecordingPublisher) -> list[int]:
    return [int(i.platform_item_id) for i in publisher.items]


def test_x_backlog_longer_than_the_page_limit_resumes_next_round(
    tmp_path: Path, registry: ChannelRegistry, publisher: RecordingPublisher
) -> None:
    fake = FakePlatform(page_size=2)
    tweets(fake, range(1, 8))  # seven tweets: four pages of two
    p = poller(tmp_path, registry, publisher, fake, max_pages=2)
    first = p.poll_target(X)
    assert first.pages == 2 and first.backlog and ids(publisher) == [7, 6, 5, 4]
    # The cursor did not jump to the newest: the rest of the backlog comes next round.
    second = p.poll_target(X)
    assert not second.backlog and ids(publisher) == [7, 6, 5, 4, 3, 2, 1]
    assert second.cursor == "7"
    # New tweets after the backlog: only those, with since_id = the newest seen.
    tweets(fake, range(8, 10))
    third = p.poll_target(X)
    assert ids(publisher)[-2:] == [9, 8] and third.produced == 2
    assert fake.requests[-1][1]["since_id"] == "7"


def test_x_tweets_arriving_during_a_backlog_are_not_lost(
    tmp_path: Path, registry: ChannelRegistry, publisher: RecordingPublisher
) -> None:
    fake = FakePlatform(page_size=2)
    tweets(fake, range(1, 6))
    p = poller(tmp_path, registry, publisher, fake, max_pages=1)
    p.poll_target(X)  # 5, 4
    tweets(fake, range(6, 8))  # arrive while the backlog is still open
    while p.poll_target(X).backlog:
        pass
    p.poll_target(X)  # a normal round after the backlog
    assert sorted(set(ids(publisher))) == [1, 2, 3, 4, 5, 6, 7]


def test_x_state_survives_a_restart_mid_backlog(
    tmp_path: Path, registry: ChannelRegistry, publisher: RecordingPublisher
) -> None:
    fake = FakePlatform(page_size=2)
    tweets(fake, range(1, 6))
    poller(tmp_path, registry, publisher, fake, max_pages=1).poll_target(X)
    stored = CursorStore(tmp_path / "cursors.sqlite3").get("twitter:twitter:hee_kss:2244994945")
    assert PollState.decode(stored) == PollState(cursor=None, page="2", newest="5")
    again = poller(tmp_path, registry, publisher, fake, max_pages=10)
    assert again.poll_target(X).cursor == "5"
    assert ids(publisher) == [5, 4, 3, 2, 1]


def test_an_expired_page_token_restarts_from_the_top_without_skipping(
    tmp_path: Path, registry: ChannelRegistry, publisher: RecordingPublisher
) -> None:
    fake = FakePlatform(page_size=2)
    tweets(fake, range(1, 6))
    p = poller(tmp_path, registry, publisher, fake, max_pages=1)
    assert p.poll_target(X).backlog  # 5, 4; page token saved
    fake.forget_tokens = True
    assert "HTTP 400" in str(p.poll_target(X).error)
    key = "twitter:twitter:hee_kss:2244994945"
    assert PollState.decode(p.store.get(key)) == PollState()  # boundary kept, page dropped
    fake.forget_tokens = False
    while p.poll_target(X).backlog:
        pass
    assert sorted(set(ids(publisher))) == [1, 2, 3, 4, 5]


def test_x_outage_keeps_state_and_counts_failures(
    tmp_path: Path, registry: ChannelRegistry, publisher: RecordingPublisher
) -> None:
    fake = FakePlatform()
    tweets(fake, range(1, 3))
    health = HealthBook(path=tmp_path / "health" / "poll.json")
    p = poller(tmp_path, registry, publisher, fake, health=health)
    p.poll_target(X)
    fake.down = True
    tweets(fake, range(3, 5))
    assert p.poll_target(X).error is not None
    assert p.poll_target(X).error is not None
    entry = read_health(tmp_path / "health")["twitter:hee_kss"]
    assert entry["consecutive_failures"] == 2 and entry["last_success_via"] == "poll"
    fake.down = False
    assert p.poll_target(X).produced == 2  # recovered from the cursor
    assert read_health(tmp_path / "health")["twitter:hee_kss"]["consecutive_failures"] == 0


def test_rate_limit_is_reported_in_health_and_metrics(
    tmp_path: Path, registry: ChannelRegistry, publisher: RecordingPublisher
) -> None:
    fake = FakePlatform(rate_limited=True)
    health = HealthBook()
    p = poller(tmp_path, registry, publisher, fake, health=health)
    assert "HTTP 429" in str(p.poll_target(X).error)
    entry = health.snapshot()["twitter:hee_kss"]
    assert entry["rate_limited"] and entry["rate_limit_remaining"] == 0
    assert entry["rate_limit_reset_at"] == datetime.fromtimestamp(1795000000, UTC).isoformat()
    text = prometheus(health.snapshot())
    assert 'switchboard_ingest_rate_limited{account="twitter:hee_kss"} 1' in text
    assert 'switchboard_ingest_consecutive_failures{account="twitter:hee_kss"} 1' in text


def test_linkedin_resumes_from_its_offset(
    tmp_path: Path, registry: ChannelRegistry, publisher: RecordingPublisher
) -> None:
    fake = FakePlatform()
    fake.linkedin += [(str(n), f"c{n}", T0 + timedelta(minutes=n)) for n in range(1, 121)]
    p = poller(tmp_path, registry, publisher, fake)
    assert p.poll_target(LI).produced == 120  # pages of 50: 0, 50, 100
    fake.linkedin.append(("121", "c121", T0 + timedelta(minutes=121)))
    before = len(fake.requests)
    assert p.poll_target(LI).produced == 1
    # The round started near the end (one page back), not at the start of the list.
    assert [r[1]["start"] for r in fake.requests[before:]] == ["70", "120"]


def test_linkedin_backlog_past_the_page_limit(
    tmp_path: Path, registry: ChannelRegistry, publisher: RecordingPublisher
) -> None:
    fake = FakePlatform()
    fake.linkedin += [(str(n), f"c{n}", T0 + timedelta(minutes=n)) for n in range(1, 151)]
    p = poller(tmp_path, registry, publisher, fake, max_pages=2)
    assert p.poll_target(LI).backlog
    assert not p.poll_target(LI).backlog
    assert len({i.platform_item_id for i in publisher.items}) == 150


def test_facebook_backfill_recovers_comments_and_skips_old_ones(
    tmp_path: Path, registry: ChannelRegistry, publisher: RecordingPublisher
) -> None:
    fake = FakePlatform()
    fake.facebook += [(str(n), f"c{n}", T0 + timedelta(minutes=n)) for n in range(1, 4)]
    p = poller(tmp_path, registry, publisher, fake)
    assert p.poll_target(FB).produced == 3
    fake.facebook.append(("4", "c4", T0 + timedelta(minutes=4)))
    assert p.poll_target(FB).produced == 1
    path, params = fake.requests[-1]
    assert path == "/v21.0/107654321/feed" and "comments" in params["fields"]
    assert {i.channel_id for i in publisher.items} == {"facebook:nhshee"}


def test_instagram_backfill(
    tmp_path: Path, registry: ChannelRegistry, publisher: RecordingPublisher
) -> None:
    fake = FakePlatform()
    fake.instagram += [(str(n), f"c{n}", T0 + timedelta(minutes=n)) for n in range(1, 3)]
    p = poller(tmp_path, registry, publisher, fake)
    assert p.poll_target(IG).produced == 2
    assert p.poll_target(IG).produced == 0
    assert fake.requests[-1][0] == "/v21.0/17841405822304914/media"
