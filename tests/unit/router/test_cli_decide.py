"""`switchboard router decide`: the stable dry-run interface operators and test suites use."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from services.cli import app
from tests.unit.router.conftest import FIXTURES, campaign, item

runner = CliRunner()
MONDAY = "2026-11-23T10:00:00+00:00"


def decide_lines(lines: list[str], *args: str) -> tuple[int, list[dict[str, object]], str]:
    result = runner.invoke(app, ["router", "decide", *args], input="\n".join(lines) + "\n")
    out = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    return result.exit_code, out, result.stderr


def minimal(channel: str, platform: str | None = "twitter", **extra: str) -> str:
    obj = {"channel": channel, "created_at": MONDAY, "text": "hi", **extra}
    if platform:
        obj["platform"] = platform
    return json.dumps(obj)


# Every account exactly as the table writes it, and the queue it must land in.
TABLE = [
    ("twitter", "@nhs_healthedeng", "press"),
    ("facebook", "facebook.com/nhshee", "press"),
    ("linkedin", "linkedin.com/company/health-education-england", "digital"),
    ("instagram", "instagram.com/nhshee", "digital"),
    ("youtube", "youtube.com/channel/HealthEducationEngland", "digital"),
    ("flickr", "flickr.com/people/nhshealtheducationengland", "digital"),
    ("twitter", "@HealthCareersUK", "programme:health-careers"),
    ("twitter", "@UKFPO", "programme:ukfpo"),
    ("twitter", "@HEE_EMids", "local:east-midlands"),
    ("twitter", "@HEE_EoE", "local:east-of-england"),
    ("twitter", "@HEE_KSS", "local:kent-surrey-sussex"),
    ("twitter", "@HEE_NCELondon", "local:north-central-east-london"),
    ("twitter", "@HEE_NEast", "local:north-east"),
    ("twitter", "@HEE_NWest", "local:north-west"),
    ("twitter", "@HEE_NWLondon", "local:north-west-london"),
    ("twitter", "@HEE_SLondon", "local:south-london"),
    ("twitter", "@HEE_SWest", "local:south-west"),
    ("twitter", "@HEE_TVValley", "local:thames-valley"),
    ("twitter", "@HEE_Wessex", "local:wessex"),
    ("twitter", "@HEE_WMidlands", "local:west-midlands"),
    ("twitter", "@HEE_YHumber", "local:yorkshire-humber"),
]


@pytest.mark.parametrize(("platform", "account", "queue"), TABLE)
@pytest.mark.parametrize("spelling", [str, str.upper, str.lower])
def test_every_table_account_in_any_case(
    platform: str, account: str, queue: str, spelling: object
) -> None:
    written = spelling(account)  # type: ignore[operator]
    code, out, err = decide_lines([minimal(written, platform)])
    assert (code, err) == (0, "")
    assert out[0]["queue"] == queue


@pytest.mark.parametrize(
    "channel",
    [
        "twitter:hee_kss",
        "HEE_KSS",
        "https://twitter.com/HEE_KSS",
        "https://www.twitter.com/hee_kss/",
    ],
)
def test_registry_id_handle_and_url_forms(channel: str) -> None:
    code, out, _ = decide_lines([minimal(channel)])
    assert code == 0
    assert out[0]["queue"] == "local:kent-surrey-sussex"
    assert out[0]["rule"] == "channel-owner:twitter:hee_kss"


def test_platform_may_be_left_out_for_a_registry_account() -> None:
    code, out, _ = decide_lines([minimal("@HEE_KSS", platform=None)])
    assert (code, out[0]["queue"]) == (0, "local:kent-surrey-sussex")


def test_output_keys_and_hold_until_with_offset() -> None:
    line = json.dumps({"platform": "facebook", "channel": "facebook.com/nhshee",
                       "created_at": "2026-11-21T10:00:00Z", "text": "hi"})  # fmt: skip
    code, out, _ = decide_lines([line])
    assert code == 0
    assert out == [
        {
            "queue": "press",
            "status": "held",
            "hold_until": "2026-11-23T09:00:00+00:00",
            "campaigns": [],
            "rule": "corporate-platform:facebook",
            "reason": "corporate facebook channels are worked by press; office closed "
            "(Saturday) - held until Mon 23 Nov 2026 09:00 GMT",
        }
    ]


def test_summer_hold_until_carries_the_bst_offset() -> None:
    line = minimal("@HEE_KSS")
    code, out, _ = decide_lines([line], "--now", "2026-06-26T17:00:00+01:00")  # Friday 17:00
    assert code == 0
    assert out[0]["hold_until"] == "2026-06-29T09:00:00+01:00"
    assert out[0]["status"] == "held"


def test_now_overrides_created_at_in_any_zone() -> None:
    code, out, _ = decide_lines([minimal("@HEE_KSS")], "--now", "2026-11-23T18:00:00+09:00")
    assert (code, out[0]["status"], out[0]["hold_until"]) == (0, "queued", None)


def test_now_without_offset_is_refused() -> None:
    code, out, err = decide_lines([minimal("@HEE_KSS")], "--now", "2026-11-23T10:00:00")
    assert code == 2
    assert out == []
    assert "no UTC offset" in err


def test_unknown_account_goes_to_triage() -> None:
    code, out, _ = decide_lines([minimal("@SomeoneElse")])
    assert code == 0
    assert out[0]["queue"] == "triage"
    assert "'@SomeoneElse' on twitter is not in the channel registry" in str(out[0]["reason"])


def test_bad_lines_are_reported_with_their_number_and_the_rest_still_decided() -> None:
    lines = [
        minimal("@HEE_KSS"),
        "not json",
        json.dumps({"platform": "twitter", "channel": "@HEE_KSS", "text": "no date"}),
        "",
        json.dumps({"platform": "myspace", "channel": "x", "created_at": MONDAY}),
        json.dumps({"platform": "twitter", "channel": "@HEE_KSS",
                    "created_at": "2026-11-23T10:00:00"}),  # naive
        "[1, 2]",
        minimal("@UKFPO"),
    ]  # fmt: skip
    code, out, err = decide_lines(lines)
    assert code == 2
    assert [o["queue"] for o in out] == ["local:kent-surrey-sussex", "programme:ukfpo"]
    reported = [line.split(":")[0] for line in err.splitlines()]
    assert reported == ["line 2", "line 3", "line 5", "line 6", "line 7"]
    assert "missing 'created_at'" in err
    assert "unknown platform 'myspace'" in err
    assert "no UTC offset" in err


def test_full_inbox_items_are_accepted() -> None:
    it = item("twitter:hee_wessex", created_at="2026-12-25T10:00:00+00:00")
    code, out, _ = decide_lines([it.model_dump_json()])
    assert code == 0
    assert out[0]["queue"] == "local:wessex"
    assert "bank holiday: Christmas Day" in str(out[0]["reason"])
    assert out[0]["hold_until"] == "2026-12-29T09:00:00+00:00"


def test_an_invalid_inbox_item_names_the_schema() -> None:
    bad = json.loads(item().model_dump_json())
    bad["channel_known"] = "perhaps"
    code, _, err = decide_lines([json.dumps(bad)])
    assert code == 2
    assert err.startswith("line 1: invalid InboxItem v1")


def test_campaigns_file_in_both_forms(tmp_path: Path) -> None:
    path = tmp_path / "campaigns.jsonl"
    path.write_text(
        json.dumps({"hashtag": "#NHSCareers", "start_date": "2026-11-01"}) + "\n\n"
        + json.dumps({"hashtag": "Later", "start_date": "2026-12-01", "name": "Later one"}) + "\n"
        + json.dumps({"hashtag": "Ended", "start_date": "2026-01-01", "end_date": "2026-11-22",
                      "owner_queue": "press"}) + "\n"
        + campaign("Full", "2026-11-01").model_dump_json() + "\n"
        + campaign("Off", "2026-11-01", active=False).model_dump_json() + "\n"
    )  # fmt: skip
    line = minimal("@HEE_KSS", text="#nhscareers #later #ended #FULL #off")
    code, out, err = decide_lines([line], "--campaigns", str(path))
    assert (code, err) == (0, "")
    assert out[0]["campaigns"] == ["full", "nhscareers"]


def test_a_bad_campaigns_file_stops_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "campaigns.jsonl"
    lines = [{"hashtag": "ok", "start_date": "2026-01-01"},
             {"hashtag": "two words", "start_date": "2026-01-01"}]  # fmt: skip
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    code, out, err = decide_lines([minimal("@HEE_KSS")], "--campaigns", str(path))
    assert (code, out) == (2, [])
    assert f"{path}:2:" in err


def test_registry_option(tmp_path: Path) -> None:
    code, out, _ = decide_lines(
        [minimal("instagram.com/nhshee", "instagram")],
        "--registry",
        str(FIXTURES / "two_zones.yaml"),
    )
    assert code == 0
    assert out[0]["hold_until"] == "2026-11-24T09:00:00+09:00"
    code, _, err = decide_lines([minimal("@HEE_KSS")], "--registry", str(tmp_path / "none.yaml"))
    assert code == 2
    assert "cannot read channel registry" in err
