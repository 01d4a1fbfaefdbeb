"""The live pages' event stream: a change is announced even if it came before the stream."""

from __future__ import annotations

import re

import pytest

from services.web.pages.work import resume_point
from services.web.settings import WebSettings
from tests.fixtures.api.events import inbox_item, routed
from tests.integration.web.conftest import Web


@pytest.fixture
def web_settings() -> WebSettings:
    """A stream that checks once or twice and closes, so a test can read all of it."""
    return WebSettings(live_poll_s=0.01, live_max_s=0.05)


def _since(page: str) -> int:
    found = re.search(r'data-live="/live\?queue=press&amp;since=(\d+)"', page)
    assert found, "the work list does not say which change it shows"
    return int(found.group(1))


def _stream(web: Web, url: str, **headers: str) -> list[tuple[str, str]]:
    """The stream's (event, id) pairs, in order."""
    with web.client.stream("GET", url, headers=headers) as answer:
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("text/event-stream")
        body = answer.read().decode()
    return re.findall(r"id: (\d+)\nevent: (\w+)", body)


def test_a_change_between_the_page_and_its_stream_is_announced(web: Web) -> None:
    web.route(routed(inbox_item(1)))
    web.sign_in("press")
    since = _since(web.client.get("/queues/press").text)
    web.route(routed(inbox_item(2)))
    events = _stream(web, f"/live?queue=press&since={since}")
    assert events[0] == (str(since), "hello")
    changes = [int(i) for i, kind in events if kind == "change"]
    assert len(changes) == 1
    assert changes[0] > since


def test_no_change_since_the_page_means_no_refresh(web: Web) -> None:
    web.route(routed(inbox_item(1)))
    web.sign_in("press")
    since = _since(web.client.get("/queues/press").text)
    assert _stream(web, f"/live?queue=press&since={since}") == [(str(since), "hello")]


def test_a_reconnect_resumes_from_the_last_event_the_browser_saw(web: Web) -> None:
    web.route(routed(inbox_item(1)))
    web.sign_in("press")
    seen = _since(web.client.get("/queues/press").text)
    web.route(routed(inbox_item(2)))
    # The browser saw the newest change already; the page's stale `since` must not re-announce.
    now = _stream(web, f"/live?queue=press&since={seen}")[-1][0]
    assert _stream(web, f"/live?queue=press&since={seen}", **{"Last-Event-ID": now}) == [
        (now, "hello")
    ]
    # A header that is not a change number is ignored, and the page's number counts.
    garbage = _stream(web, f"/live?queue=press&since={seen}", **{"Last-Event-ID": "1e9; drop"})
    assert [kind for _, kind in garbage] == ["hello", "change"]


def test_the_stream_refuses_a_since_out_of_range(web: Web) -> None:
    web.sign_in("press")
    assert web.client.get("/live?queue=press&since=-1").status_code == 422
    assert web.client.get(f"/live?queue=press&since={2**63}").status_code == 422


@pytest.mark.parametrize(
    ("header", "since", "expected"),
    [
        (None, None, None),
        (None, 7, 7),
        ("12", 7, 12),
        (" 12 ", None, 12),
        ("-3", 7, 7),
        ("12abc", 7, 7),
        ("٣", 7, 7),  # an Arabic-Indic digit is decimal to str.isdecimal() but not ASCII
        ("9" * 20, 7, 7),
        (str(2**62 + 1), None, None),
        ("", 7, 7),
    ],
)
def test_resume_point(header: str | None, since: int | None, expected: int | None) -> None:
    assert resume_point(header, since) == expected
