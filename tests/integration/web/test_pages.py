"""The pages over HTTP: sign-in, sessions, CSRF, limits, scope, and the work actions."""

from __future__ import annotations

import uuid
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from schemas.events import InboxItem
from schemas.work import ActorKind, FailureClass, ReplyFailed, WorkEvent
from services.api.db import next_change
from services.api.models import Item, ReplyRow
from services.api.work_apply import apply_work
from services.web.models import WebSession
from tests.fixtures.api.events import inbox_item, routed
from tests.fixtures.web import PASSWORD
from tests.integration.web.conftest import Web


def _item(web: Web, n: int = 1, channel: str = "twitter:nhs_healthedeng") -> str:
    event = routed(inbox_item(n, channel=channel))
    web.route(event)
    return str(event.item.event_id)


def test_pages_need_sign_in_and_a_session_cookie_is_http_only(web: Web) -> None:
    first = web.client.get("/queues/press", follow_redirects=False)
    assert first.status_code == 303
    assert first.headers["location"] == "/sign-in?next=/queues/press"
    form = web.client.get("/sign-in")
    assert 'for="email">Email</label>' in form.text
    assert 'for="password">Password</label>' in form.text
    answer = web.client.post(
        "/sign-in",
        data={"email": web.emails["press"], "password": PASSWORD,
              "csrf_token": web.client.cookies["sb_csrf"], "next": "/queues/press"},
        follow_redirects=False,
    )  # fmt: skip
    assert answer.status_code == 303
    assert answer.headers["location"] == "/queues/press"
    cookie = answer.headers["set-cookie"]
    assert "sb_session=" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert ">Press team</a>" in web.client.get("/").text


def test_sign_in_refuses_a_wrong_password_and_another_sites_next(web: Web) -> None:
    web.client.get("/sign-in")
    token = web.client.cookies["sb_csrf"]
    wrong = web.client.post(
        "/sign-in", data={"email": web.emails["press"], "password": "nope" * 4, "csrf_token": token}
    )
    assert wrong.status_code == 401
    assert "not right" in wrong.text
    web.client.get("/sign-in")
    ok = web.client.post(
        "/sign-in",
        data={"email": web.emails["press"], "password": PASSWORD,
              "csrf_token": web.client.cookies["sb_csrf"], "next": "//evil.example/"},
        follow_redirects=False,
    )  # fmt: skip
    assert ok.headers["location"] == "/"


def test_sign_in_is_rate_limited_per_account_until_the_window_passes(web: Web) -> None:
    def attempt(password: str) -> int:
        web.client.get("/sign-in")
        data = {"email": web.emails["digital"], "password": password,
                "csrf_token": web.client.cookies["sb_csrf"]}  # fmt: skip
        answer = web.client.post("/sign-in", data=data, follow_redirects=False)
        return int(answer.status_code)

    assert [attempt("wrong password!") for _ in range(5)] == [401] * 5
    assert attempt(PASSWORD) == 429  # even the right password waits
    web.clock.now += timedelta(minutes=16)
    assert attempt(PASSWORD) == 303


def test_sign_in_without_its_csrf_token_is_refused(web: Web) -> None:
    web.client.get("/sign-in")
    answer = web.client.post(
        "/sign-in", data={"email": web.emails["press"], "password": PASSWORD, "csrf_token": "x"}
    )
    assert answer.status_code == 403


def test_an_action_without_the_sessions_csrf_token_is_refused(web: Web) -> None:
    item_id = _item(web)
    web.sign_in("press")
    refused = web.client.post(f"/items/{item_id}/claim", data={"csrf_token": "forged"})
    assert refused.status_code == 403
    assert "Request refused" in refused.text
    with Session(web.engine) as session:
        assert session.exec(select(Item)).one().claimed_by is None
    done = web.client.post(
        f"/items/{item_id}/claim", headers={"X-CSRF-Token": web.csrf()}, follow_redirects=False
    )
    assert done.status_code == 303
    with Session(web.engine) as session:
        assert session.exec(select(Item)).one().claimed_by == web.emails["press"]


def test_claim_conflict_names_the_holder_and_presence_shows_it(web: Web) -> None:
    item_id = _item(web)
    web.sign_in("press")
    web.client.post(f"/items/{item_id}/claim", data={"csrf_token": web.csrf()})
    other = TestClient(web.client.app)
    web.sign_in("press2", client=other)
    page = other.get(f"/items/{item_id}")
    assert "press@example.nhs.uk has claimed this item" in page.text
    conflict = other.post(f"/items/{item_id}/claim", data={"csrf_token": web.csrf(other)})
    assert conflict.status_code == 409
    assert "item is claimed by press@example.nhs.uk" in conflict.text
    assert "Paul Press is looking at this item" in web.client.get(f"/items/{item_id}").text


def test_a_lead_sees_their_channel_but_not_another_channels_item(web: Web) -> None:
    mine = _item(web, 1, channel="twitter:hee_kss")
    theirs = _item(web, 2, channel="twitter:hee_wessex")
    web.sign_in("kss")
    assert "Question number 1" in web.client.get("/channels").text
    assert web.client.get(f"/items/{mine}").status_code == 200
    refused = web.client.get(f"/items/{theirs}")
    assert refused.status_code == 403
    assert "Question number 2" not in refused.text
    assert (
        web.client.post(f"/items/{theirs}/claim", data={"csrf_token": web.csrf()}).status_code
        == 403
    )


def test_reply_is_refused_on_block_needs_acknowledgement_on_warn_and_sends_when_clean(
    web: Web,
) -> None:
    item_id = _item(web)
    web.sign_in("press")
    token = web.csrf()
    web.client.post(f"/items/{item_id}/claim", data={"csrf_token": token})
    check = web.client.post(f"/items/{item_id}/check", data={"text": "Your number 943 476 5919"},
                            headers={"X-CSRF-Token": token})  # fmt: skip
    assert 'data-verdict="block"' in check.text
    assert '<mark class="sb-sev-block"' in check.text
    blocked = web.client.post(
        f"/items/{item_id}/reply", data={"csrf_token": token, "text": "Your number 943 476 5919"}
    )
    assert blocked.status_code == 422
    warned = web.client.post(
        f"/items/{item_id}/reply", data={"csrf_token": token, "text": "We will reply ASAP"}
    )
    assert warned.status_code == 422
    assert "Confirm that you have read the warnings" in warned.text
    sent = web.client.post(
        f"/items/{item_id}/reply",
        data={"csrf_token": token, "text": "We will reply ASAP", "acknowledge": "yes"},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    page = web.client.get(sent.headers["location"]).text
    assert "Reply sent to the publisher." in page
    assert "We will reply ASAP" in page
    status = web.client.get(f"/items/{item_id}/replies").text
    assert 'data-reply-status="queued"' in status
    assert 'hx-trigger="every 5s"' in status  # polled until it is delivered or fails


def test_sign_out_ends_the_session_on_the_server(web: Web) -> None:
    web.sign_in("press")
    secret = web.client.cookies["sb_session"]
    out = web.client.post("/sign-out", data={"csrf_token": web.csrf()}, follow_redirects=False)
    assert out.status_code == 303
    with Session(web.engine) as session:
        assert session.exec(select(WebSession)).one().ended_at is not None
    replay = TestClient(web.client.app, cookies={"sb_session": secret})
    assert replay.get("/", follow_redirects=False).status_code == 303


def test_admin_creates_a_user_who_can_then_sign_in(web: Web) -> None:
    web.sign_in("admin")
    created = web.client.post(
        "/admin/users",
        data={"csrf_token": web.csrf(), "email": "new@example.nhs.uk", "name": "New Person",
              "role": "team", "queue": ["digital"]},
    )  # fmt: skip
    assert created.status_code == 200
    password = created.text.split("(shown once): ", 1)[1].split("<", 1)[0]
    fresh = TestClient(web.client.app)
    fresh.get("/sign-in")
    answer = fresh.post(
        "/sign-in",
        data={"email": "new@example.nhs.uk", "password": password,
              "csrf_token": fresh.cookies["sb_csrf"]},
        follow_redirects=False,
    )  # fmt: skip
    assert answer.status_code == 303
    web.sign_in("press", client=fresh)
    assert fresh.get("/admin").status_code == 403


def test_a_reply_needing_approval_waits_for_an_approver_of_its_queue(web: Web) -> None:
    item_id = _item(web)
    web.sign_in("press")
    token = web.csrf()
    web.client.post(f"/items/{item_id}/claim", data={"csrf_token": token})
    sent = web.client.post(
        f"/items/{item_id}/reply",
        data={"csrf_token": token, "text": "We guarantee a place"},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    assert "Reply sent for approval" in web.client.get(sent.headers["location"]).text
    assert web.client.get("/approvals").status_code == 403  # press officers do not approve
    approver = TestClient(web.client.app)
    web.sign_in("approver", client=approver)
    listing = approver.get("/approvals")
    assert "We guarantee a place" in listing.text
    reply_id = listing.text.split('data-reply="', 1)[1].split('"', 1)[0]
    approved = approver.post(
        f"/approvals/{item_id}/{reply_id}/approve",
        data={"csrf_token": web.csrf(approver)},
        follow_redirects=False,
    )
    assert approved.status_code == 303
    assert "Nothing is waiting for approval" in approver.get("/approvals").text
    page = web.client.get(f"/items/{item_id}").text
    assert 'data-reply-status="approved"' in page or 'data-reply-status="queued"' in page


def test_a_reply_on_the_platform_links_to_the_item_it_answers(web: Web) -> None:
    parent = inbox_item(1, text="Our original question about bursaries")
    child = InboxItem.create(
        **{**parent.model_dump(exclude={"event_id", "schema_version"}),
           "platform_item_id": "child-1", "parent_id": parent.platform_item_id,
           "kind": "reply", "text": "Following up on that"},
    )  # fmt: skip
    web.route(routed(parent), routed(child))
    web.sign_in("press")
    page = web.client.get(f"/items/{child.event_id}").text
    assert f'href="/items/{parent.event_id}"' in page
    assert "Our original question about bursaries" in page


def test_the_item_shows_its_response_times_and_a_failed_reply_can_be_sent_again(
    web: Web,
) -> None:
    item_id = _item(web)
    web.sign_in("press")
    token = web.csrf()
    page = web.client.get(f"/items/{item_id}").text
    assert 'data-sla="first_response"' in page and 'data-sla="resolution"' in page
    web.client.post(f"/items/{item_id}/claim", data={"csrf_token": token})
    sent = web.client.post(
        f"/items/{item_id}/reply",
        data={"csrf_token": token, "text": "Thank you for asking"},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    with Session(web.engine) as s:
        row = s.exec(select(ReplyRow)).one()
        item = s.exec(select(Item)).one()
    assert "Retry sending" not in web.client.get(f"/items/{item_id}/replies").text  # queued
    failure = WorkEvent.create(
        item_event_id=uuid.UUID(item_id), channel_id=item.channel_id, queue=item.queue,
        actor_kind=ActorKind.SERVICE, actor="publisher", command_id=uuid.uuid4(),
        detail=ReplyFailed(reply_id=row.reply_id, failure=FailureClass.UNAVAILABLE,
                           error="503 from the platform", retryable=True, attempts=3),
        occurred_at=web.clock.now + timedelta(minutes=5),
    )  # fmt: skip
    with Session(web.engine) as s, s.begin():
        apply_work(s, event=failure, seq=next_change(s), now=web.clock.now)
    replies = web.client.get(f"/items/{item_id}/replies").text
    assert 'data-reply-status="failed"' in replies and "503 from the platform" in replies
    assert "Retry sending" in replies
    retried = web.client.post(
        f"/items/{item_id}/replies/{row.reply_id}/retry",
        data={"csrf_token": token},
        follow_redirects=False,
    )
    assert retried.status_code == 303
    assert "The reply will be sent again." in web.client.get(retried.headers["location"]).text
    with Session(web.engine) as s:
        assert s.exec(select(ReplyRow)).one().status == "queued"
    forged = web.client.post(f"/items/{item_id}/replies/{row.reply_id}/retry", data={})
    assert forged.status_code == 403
