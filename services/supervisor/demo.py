"""The demo stream: realistic payloads in each platform's own format, deterministic.

`demo_stream(seed=..., start=...)` is pure: the same seed and start give the same
deliveries, byte for byte, so a demo can be re-run for screenshots. Webhook platforms
(X, Facebook, Instagram) are delivered signed to the webhook receiver; polled platforms
(YouTube, Flickr, LinkedIn) go through `switchboard ingest replay`, the poller's path.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from services.demo import payloads as p

# Placeholder platform ids for the demo and end-to-end tests only; a deployment fills the
# real ids into channels.yaml (`account_ids`) as each account is connected.
DEMO_ACCOUNT_IDS: dict[str, list[str]] = {
    "facebook:nhshee": ["104000000000001"],
    "instagram:nhshee": ["17841400000000001"],
    "youtube:healtheducationengland": ["UCdemo0000000000000000001"],
    "linkedin:health-education-england": ["urn:li:organization:1000001"],
    "flickr:nhshealtheducationengland": ["10000001@N01"],
}
X_USER_IDS = {"nhs_healthedeng": "900001", "HEE_KSS": "900002", "HEE_NWest": "900003",
              "UKFPO": "900004", "HealthCareersUK": "900005", "HEE_YHumber": "900006",
              "nhs_unknown_trust": "900099"}  # fmt: skip
CAMPAIGN_HASHTAG = "NHSCareers"

_PEOPLE = [("31001", "amira_k", "Amira K"), ("31002", "dr_tom_b", "Tom B"),
           ("31003", "nursejo", "Jo Nurse"), ("31004", "medstudent_li", "Li Wei"),
           ("31005", "carers_uk_fan", "Sam P"), ("31006", "ffion_w", "Ffion W")]  # fmt: skip
_LINES = [
    "When do foundation programme allocations come out? 🙏",
    "Is the application portal down? I keep getting an error & can't submit",
    "Brilliant session today, thank you! 👏",
    "Where can I find the bursary guidance for 2027 starters?",
    "Any news on the nursing associate apprenticeship intake?",
    "Loved this video – shared it with my whole cohort 💙",  # noqa: RUF001 - real text
    "Can someone call me back about my placement? It's urgent",
    "Are there open days for paramedic science this spring?",
]


@dataclass(frozen=True)
class Delivery:
    """One payload to deliver: via the signed webhook, or via replay (polled platforms)."""

    platform: str
    payload: dict[str, Any] | str
    via: str  # "webhook" | "replay"
    channel: str | None = None
    received_at: datetime | None = None


Maker = Callable[[random.Random, int, datetime], Delivery]


def _text(rng: random.Random, n: int) -> str:
    text = rng.choice(_LINES)
    return f"{text} #{CAMPAIGN_HASHTAG}" if n % 4 == 0 else text


def _tweet(handle: str) -> Maker:
    def make(rng: random.Random, n: int, at: datetime) -> Delivery:
        pid, who, name = rng.choice(_PEOPLE)
        body = p.twitter_mention_webhook(
            for_user_id=X_USER_IDS[handle], addressed_handle=handle,
            tweet_id=str(1860000000000000000 + n), text=_text(rng, n), created_at=at,
            author_id=pid, author_handle=who, author_name=name,
        )  # fmt: skip
        return Delivery("twitter", body, "webhook")

    return make


def _facebook(rng: random.Random, n: int, at: datetime) -> Delivery:
    pid, _, name = rng.choice(_PEOPLE)
    page = DEMO_ACCOUNT_IDS["facebook:nhshee"][0]
    body = p.facebook_comment_webhook(
        page_id=page, post_id=f"{page}_5500{n % 3}", comment_id=f"5500{n % 3}_{7000 + n}",
        text=_text(rng, n), created_at=at, author_id=pid, author_name=name,
    )  # fmt: skip
    return Delivery("facebook", body, "webhook")


def _instagram(rng: random.Random, n: int, at: datetime) -> Delivery:
    pid, who, _ = rng.choice(_PEOPLE)
    body = p.instagram_comment_webhook(
        account_id=DEMO_ACCOUNT_IDS["instagram:nhshee"][0], comment_id=f"1790000{n:05d}",
        media_id="17900000000000042", text=_text(rng, n),
        author_id=pid, author_handle=who, sent_at=at,
    )  # fmt: skip
    return Delivery("instagram", body, "webhook", received_at=at)


def _youtube(rng: random.Random, n: int, at: datetime) -> Delivery:
    _, _, name = rng.choice(_PEOPLE)
    body = p.youtube_comment_threads(
        channel_id=DEMO_ACCOUNT_IDS["youtube:healtheducationengland"][0], video_id="dQw4demo001",
        comment_id=f"UgzDemo{n:06d}", text=_text(rng, n),
        author_name=name, author_channel_id=f"UCviewer{n:05d}", published_at=at,
    )  # fmt: skip
    return Delivery("youtube", body, "replay", channel="youtube:healtheducationengland")


def _flickr(rng: random.Random, n: int, at: datetime) -> Delivery:
    pid, _, name = rng.choice(_PEOPLE)
    body = p.flickr_comments(
        photo_id="53000000001", owner=DEMO_ACCOUNT_IDS["flickr:nhshealtheducationengland"][0],
        comment_id=f"10000001-53000000001-{72157000 + n}",
        text=f'Great photo! See <a href="https://example.org/">this</a> {_text(rng, n)}',
        author_id=f"{pid}@N01", author_name=name, created_at=at,
    )  # fmt: skip
    return Delivery("flickr", body, "replay", channel="flickr:nhshealtheducationengland")


def _linkedin(rng: random.Random, n: int, at: datetime) -> Delivery:
    body = p.linkedin_comments(
        post_urn="urn:li:activity:7100000000000000001", comment_id=str(7200000000000000000 + n),
        text=_text(rng, n), actor=f"urn:li:person:demo{n:04d}",
        created_at=at,
    )  # fmt: skip
    return Delivery("linkedin", body, "replay", channel="linkedin:health-education-england")


_MAKERS: list[Maker] = [
    _tweet("nhs_healthedeng"), _tweet("HEE_KSS"), _tweet("HEE_NWest"), _tweet("UKFPO"),
    _tweet("HealthCareersUK"), _tweet("HEE_YHumber"), _facebook, _instagram, _youtube,
    _flickr, _linkedin,
]  # fmt: skip
_MALFORMED = [
    Delivery(
        "facebook",
        {
            "object": "page",
            "entry": [
                {
                    "id": "104000000000001",
                    "changes": [{"field": "feed", "value": {"item": "comment", "verb": "add"}}],
                }
            ],
        },
        "webhook",
    ),
    Delivery(
        "twitter", '{"for_user_id": "900002", "tweet_create_events": [{"id_str": 1}', "webhook"
    ),
]


def demo_stream(
    *,
    seed: int,
    start: datetime,
    count: int = 60,
    first_id: int = 0,
    extras: bool = True,
    spread: timedelta = timedelta(days=3),
) -> list[Delivery]:
    """`count` deliveries created over `spread` before `start`, ids from `first_id`.

    With `extras`, one mention of an account not in the registry (for triage) and a few
    malformed payloads (for the dead-letter topic) are mixed in.
    """
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    minutes = max(1, int(spread.total_seconds() // 60))
    times = sorted(start - timedelta(minutes=rng.randint(0, minutes)) for _ in range(count))
    out = [rng.choice(_MAKERS)(rng, first_id + n, at) for n, at in enumerate(times)]
    if extras:
        out.append(_tweet("nhs_unknown_trust")(rng, first_id + count, times[-1]))
        for i, bad in enumerate(_MALFORMED):
            out.insert((i + 1) * len(out) // (len(_MALFORMED) + 1), bad)
    return out
