"""POST /v1/replies/check on the real databases: verdicts, spans, scopes, the thread."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tests.fixtures.api.events import inbox_item, routed
from tests.integration.api.conftest import Api


@pytest.fixture
def crosses_broker() -> bool:
    """Nothing in this module reads a topic: no relay, no broker."""
    return False


KSS = "twitter:hee_kss"
FACEBOOK = "facebook:nhshee"


def _check(api: Api, who: str, **body: object) -> tuple[int, Any]:
    r = api.client.post("/v1/replies/check", json=body, headers=api.auth(who))
    return r.status_code, r.json()


def test_block_with_the_span_of_each_finding(api: Api) -> None:
    text = "Sorry Jo, we have your record, NHS 943 476 5919, and will write to LS1 4PL."
    code, body = _check(api, "press", channel=FACEBOOK, text=text)
    assert code == 200
    assert body["verdict"] == "block"
    found = {(f["check"], f["match"]) for f in body["findings"]}
    assert ("pii.nhs_number", "943 476 5919") in found
    assert ("pii.postcode", "LS1 4PL") in found
    for f in body["findings"]:
        assert text[f["start"] : f["end"]] == f["match"]


def test_warn_on_x_for_an_unexpanded_acronym_block_elsewhere(api: Api) -> None:
    text = "Your ARCP outcome is in your portfolio."
    _code, on_x = _check(api, "kss", channel=KSS, text=text)
    assert on_x["verdict"] == "warn"
    _code, on_fb = _check(api, "press", channel=FACEBOOK, text=text)
    assert on_fb["verdict"] == "block"
    spelled = "Your Annual Review of Competence Progression (ARCP) outcome is in your portfolio."
    assert _check(api, "press", channel=FACEBOOK, text=spelled)[1]["verdict"] == "ok"


def test_political_term_needs_approval_only_in_the_election_period(api: Api) -> None:
    text = "We cannot comment on the general election."
    api.clock.now = datetime(2027, 1, 10, 12, tzinfo=UTC)
    assert _check(api, "kss", channel=KSS, text=text)[1]["verdict"] == "warn"
    api.clock.now = datetime(2027, 4, 10, 12, tzinfo=UTC)
    _code, body = _check(api, "kss", channel=KSS, text=text)
    assert body["verdict"] == "approval"
    assert "pre-election period" in body["findings"][0]["message"]


def test_clean_draft_is_ok_and_nothing_is_stored(api: Api) -> None:
    code, body = _check(api, "kss", channel=KSS, text="Thanks, glad it helped!")
    assert (code, body) == (200, {"verdict": "ok", "findings": []})


@pytest.mark.parametrize(
    ("who", "channel", "status"),
    [
        ("kss", KSS, 200),
        ("kss", FACEBOOK, 403),  # a lead only for its own channels
        ("digital", "twitter:nhs_healthedeng", 403),  # press's channel
        ("press", "twitter:nhs_healthedeng", 200),
        ("press", "twitter:nosuch", 403),  # non-admins cannot tell unknown from out of scope
        ("admin", "twitter:nosuch", 404),
        ("admin", FACEBOOK, 200),
    ],
)
def test_scope(api: Api, who: str, channel: str, status: int) -> None:
    assert _check(api, who, channel=channel, text="Thanks")[0] == status


def test_item_thread_feeds_the_offline_check(api: Api) -> None:
    item = inbox_item(1, channel=KSS, text="This is appalling, nobody answers the phone")
    api.route(routed(item))
    code, body = _check(
        api, "kss", channel=KSS, text="Sorry to hear that.", item_id=str(item.event_id)
    )
    assert code == 200
    assert body["verdict"] == "info"
    assert body["findings"][0]["check"] == "offline"
    # Offered the route already: no suggestion.
    calm = "Sorry, please email communications@hee.nhs.uk"
    assert _check(api, "kss", channel=KSS, text=calm, item_id=str(item.event_id))[1] == {
        "verdict": "ok",
        "findings": [],
    }


def test_item_on_another_channel_or_out_of_scope(api: Api) -> None:
    item = inbox_item(2, channel=KSS)
    api.route(routed(item))
    code, body = _check(api, "kss", channel=FACEBOOK, text="Hi", item_id=str(item.event_id))
    assert code == 422
    assert "is on channel 'twitter:hee_kss'" in str(body["detail"])
    assert _check(api, "digital", channel=KSS, text="Hi", item_id=str(item.event_id))[0] == 403
    missing = "00000000-0000-0000-0000-000000000000"
    assert _check(api, "admin", channel=KSS, text="Hi", item_id=missing)[0] == 404


def test_bad_requests(api: Api) -> None:
    r = api.client.post("/v1/replies/check", json={"channel": KSS, "text": "hi"})
    assert r.status_code == 401
    assert _check(api, "kss", channel=KSS, text="x" * 20_001)[0] == 422
    assert _check(api, "kss", channel=KSS, text="a\x00b")[0] == 422
    assert _check(api, "kss", channel=KSS)[0] == 422
    assert _check(api, "kss", channel=KSS, text="hi", extra=1)[0] == 422
