"""The monthly report on a synthetic month: every figure against its hand-worked answer."""

from __future__ import annotations

import random
from typing import Any

import pytest

from schemas.registry import ChannelRegistry
from services.report.domain.figures import ReportInput, Scope, build_figures
from services.report.domain.month import Month
from services.router.domain.calendar import build_calendars
from tests.unit.report.synthetic import november

KSS = "local:kent-surrey-sussex"


def figures(registry: ChannelRegistry, scope: Scope | None = None, **kw: Any) -> dict[str, Any]:
    return build_figures(month=Month.parse("2026-11"), scope=scope or Scope(), data=november(),
                         registry=registry, calendars=build_calendars(registry), **kw)  # fmt: skip


def stats(items: int, met: int, median: float | None, p90: float | None, within: int,
          pct: float | None, target: float | None, ooh: int) -> dict[str, Any]:  # fmt: skip
    return {"items": items, "met": met, "not_met": items - met, "median_hours": median,
            "p90_hours": p90, "within_target": within, "within_target_percent": pct,
            "target_hours": target, "met_out_of_hours": ooh}  # fmt: skip


def test_volume(registry: ChannelRegistry) -> None:
    v = figures(registry)["volume"]
    assert v["total"] == 8  # October's and December's items are out
    assert v["by_platform"] == {"facebook": 4, "instagram": 1, "twitter": 3}
    assert v["by_channel"] == {"facebook:nhshee": 4, "instagram:nhshee": 1,
                               "twitter:hee_kss": 2, "twitter:nhs_healthedeng": 1}  # fmt: skip
    assert v["by_queue"] == {"digital": 1, KSS: 2, "press": 5}
    assert v["by_kind"] == {"comment": 7, "mention": 1}
    days = {d: n for d, n in v["by_day"].items() if n}
    assert days == {"2026-11-02": 2, "2026-11-07": 1, "2026-11-14": 1, "2026-11-18": 1,
                    "2026-11-19": 1, "2026-11-20": 1, "2026-11-30": 1}  # fmt: skip
    assert len(v["by_day"]) == 30


def test_held_out_of_hours(registry: ChannelRegistry) -> None:
    assert figures(registry)["held"] == {
        "count": 2,
        "share_percent": 25.0,
        "released": 2,
        "wait_median_hours": 42.0,  # Sat 10:00 -> Mon 09:00 is 47 h; Sat 20:00 -> Mon 37 h
        "wait_p90_hours": 47.0,
        "wait_max_hours": 47.0,
        "by_queue": {"digital": 1, KSS: 1},
    }


def test_first_response_times(registry: ChannelRegistry) -> None:
    r = figures(registry)["response"]["first_response"]
    # A 1.5 h, B 4 h (Mon 15:00 -> Tue 11:00), C 6 h after release, D 0 (answered on the
    # Saturday it arrived, before release), F 8 h (Thu 16:00 -> Fri 16:00); E and I not
    # answered; G withdrawn before any reply, so not measured.
    assert r["all"] == stats(7, 5, 4.0, 8.0, 5, 71.4, None, 1)
    assert r["by_queue"] == {
        "digital": stats(1, 1, 0.0, 0.0, 1, 100.0, 4.0, 1),
        KSS: stats(2, 2, 7.0, 8.0, 2, 100.0, 8.0, 0),
        "press": stats(4, 2, 2.75, 4.0, 2, 50.0, 4.0, 0),
    }
    assert r["by_channel"]["twitter:nhs_healthedeng"] == stats(1, 1, 4.0, 4.0, 1, 100.0, 4.0, 0)
    assert r["by_channel"]["facebook:nhshee"] == stats(3, 1, 1.5, 1.5, 1, 33.3, 4.0, 0)


def test_resolution_times(registry: ChannelRegistry) -> None:
    r = figures(registry)["response"]["resolution"]
    # A 2 h, B 11 h (2 + 8 + 1), D 0.5 h after its Monday release.
    assert r["all"] == stats(7, 3, 2.0, 11.0, 3, 42.9, None, 0)
    assert r["by_queue"]["press"] == stats(4, 2, 6.5, 11.0, 2, 50.0, 16.0, 0)
    assert r["by_queue"][KSS] == stats(2, 0, None, None, 0, 0.0, 24.0, 0)


def test_only_published_replies_when_submissions_do_not_count(registry: ChannelRegistry) -> None:
    r = figures(registry, count_submitted=False)["response"]["first_response"]
    # C's reply failed, so it has no first response; the others publish a minute later.
    assert r["by_queue"][KSS] == stats(2, 1, 8.02, 8.02, 0, 0.0, 8.0, 0)


def test_replies_and_guidance(registry: ChannelRegistry) -> None:
    f = figures(registry)
    assert f["replies"] == {"submitted": 5, "published": 4, "failed": 1,
                            "approval_requested": 1, "approved": 1, "rejected": 0}  # fmt: skip
    assert f["guidance"] == {
        "acronym": {"findings": 1, "by_severity": {"warn": 1}},  # October's is out
        "length": {"findings": 1, "by_severity": {"info": 1}},
        "tone": {"findings": 1, "by_severity": {"approval": 1}},
    }


def test_dead_letters(registry: ChannelRegistry) -> None:
    assert figures(registry)["dead_letters"] == {
        "total": 2,
        "by_source": {"ingest.webhook.facebook": 1, "router": 1},
        "by_error_type": {"KeyError": 1, "ValueError": 1},
    }


def test_campaign_sections(registry: ChannelRegistry) -> None:
    campaigns = figures(registry)["campaigns"]
    assert [c["campaign_id"] for c in campaigns] == ["careers"]  # ended and withdrawn ones out
    c = campaigns[0]
    assert c["name"] == "NHS Careers month"  # the latest version
    # E arrived on 18 Nov, before the campaign was registered on the 19th: it counts; A's
    # tag on 2 Nov is before the start date: it does not.
    assert c["items"] == 2
    assert next(iter(c["by_day"])) == "2026-11-16" and len(c["by_day"]) == 15
    assert {d: n for d, n in c["by_day"].items() if n} == {"2026-11-18": 1, "2026-11-19": 1}
    assert c["by_channel"] == {"facebook:nhshee": 1, "twitter:hee_kss": 1}
    assert c["first_response"] == stats(2, 1, 8.0, 8.0, 1, 50.0, None, 0)


def test_a_queue_report(registry: ChannelRegistry) -> None:
    f = figures(registry, Scope("queue", KSS))
    assert f["volume"]["total"] == 2
    assert f["held"]["count"] == 1
    assert f["replies"]["failed"] == 1 and f["replies"]["submitted"] == 2
    assert f["dead_letters"] is None
    assert f["campaigns"][0]["items"] == 1


def test_a_channel_report(registry: ChannelRegistry) -> None:
    f = figures(registry, Scope("channel", "facebook:nhshee"))
    assert f["volume"]["by_channel"] == {"facebook:nhshee": 4}
    assert f["response"]["first_response"]["all"]["items"] == 3


def test_input_order_does_not_matter(registry: ChannelRegistry) -> None:
    data = november()
    rng = random.Random(16)
    shuffled = ReportInput(
        routed=rng.sample(list(data.routed), len(data.routed)),
        work=rng.sample(list(data.work), len(data.work)),
        campaigns=rng.sample(list(data.campaigns), len(data.campaigns)),
        dead_letters=list(reversed(data.dead_letters)),
    )
    cals = build_calendars(registry)
    month = Month.parse("2026-11")
    assert build_figures(month=month, scope=Scope(), data=shuffled, registry=registry,
                         calendars=cals) == figures(registry)  # fmt: skip


@pytest.mark.parametrize("text", ["2026-13", "2026-1", "nov", "2026-11-01"])
def test_bad_months(text: str) -> None:
    with pytest.raises(ValueError, match="YYYY-MM"):
        Month.parse(text)
