"""The sandbox refuses what the platforms document as invalid, in each platform's shape."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from services.sandbox.app import create_app
from services.sandbox.settings import SandboxSettings

TOKEN = {"Authorization": "Bearer " + "t" * 32}


@pytest.fixture
def client() -> TestClient:
    return TestClient(create_app(SandboxSettings()))


def _tweet(client: TestClient, body: object, headers: dict[str, str] = TOKEN) -> tuple[int, object]:
    r = client.post("/x/2/tweets", json=body, headers=headers)
    return r.status_code, r.json()


def test_x_validation(client: TestClient) -> None:
    good = {"text": "Thanks!", "reply": {"in_reply_to_tweet_id": "186"}}
    assert _tweet(client, good, {})[0] == 401
    assert _tweet(client, good, {"Authorization": "Bearer short"})[0] == 401
    assert _tweet(client, {**good, "text": "x" * 281})[0] == 400
    assert _tweet(client, {"text": "Thanks!"})[0] == 400
    assert _tweet(client, {**good, "reply": {"in_reply_to_tweet_id": "abc"}})[0] == 400
    status, body = _tweet(client, good)
    assert status == 201 and body["data"]["text"] == "Thanks!"  # type: ignore[index]
    status, body = _tweet(client, good)
    assert status == 403 and "duplicate content" in body["detail"]  # type: ignore[index]
    assert len(client.get("/_sandbox/posts").json()) == 1
    recorded = client.get("/_sandbox/requests").json()
    assert [r["status"] for r in recorded] == [401, 401, 400, 400, 400, 201, 403]
    assert all("authorization" not in r["headers"] for r in recorded)


def test_linkedin_needs_its_version_header_and_matching_urns(client: TestClient) -> None:
    urn = "urn:li:comment:(urn:li:activity:71,72)"
    encoded = "urn%3Ali%3Acomment%3A%28urn%3Ali%3Aactivity%3A71%2C72%29"
    path = f"/linkedin/rest/socialActions/{encoded}/comments"
    body = {"actor": "urn:li:organization:9", "object": "urn:li:activity:71",
            "parentComment": urn, "message": {"text": "Thanks"}}  # fmt: skip
    r = client.post(path, json=body, headers=TOKEN)
    assert r.status_code == 400 and r.json()["code"] == "VERSION_MISSING"
    versioned = {**TOKEN, "LinkedIn-Version": "202411"}
    assert client.post(path, json={**body, "object": "urn:li:activity:70"},
                       headers=versioned).status_code == 422  # fmt: skip
    assert client.post(path, json={**body, "actor": "me"}, headers=versioned).status_code == 422
    r = client.post(path, json=body, headers=versioned)
    assert r.status_code == 201 and r.headers["x-restli-id"].startswith("urn:li:comment:(")


def test_youtube_and_graph_validation(client: TestClient) -> None:
    snippet = {"snippet": {"parentId": "Ugz1", "textOriginal": "Thanks"}}
    assert client.post("/google/youtube/v3/comments", json=snippet,
                       headers=TOKEN).status_code == 400  # part missing  # fmt: skip
    nested = {"snippet": {"parentId": "Ugz1.r2", "textOriginal": "x"}}
    r = client.post("/google/youtube/v3/comments?part=snippet", json=nested, headers=TOKEN)
    assert r.status_code == 400 and r.json()["error"]["errors"][0]["reason"]
    r = client.post("/facebook/v21.0/104_1/comments", data={"message": "x" * 8001}, headers=TOKEN)
    assert r.status_code == 400 and r.json()["error"]["code"] == 100
    r = client.post("/facebook/v21.0/104_1/comments?access_token=" + "t" * 32,
                    data={"message": "ok"})  # fmt: skip
    assert r.status_code == 200 and r.json()["id"].startswith("104_")


def test_flickr_refuses_unsigned_requests(client: TestClient) -> None:
    form = {"method": "flickr.photos.comments.addComment", "photo_id": "52",
            "comment_text": "hi", "format": "json", "nojsoncallback": "1"}  # fmt: skip
    r = client.post("/flickr/services/rest/", data=form, headers=TOKEN)
    assert r.status_code == 200 and r.json()["stat"] == "fail" and r.json()["code"] in (96, 98)


def test_faults_apply_count_times_then_stop(client: TestClient) -> None:
    fault = {"platform": "twitter", "kind": "throttle", "count": 2, "retry_after_s": 9}
    assert client.post("/_sandbox/faults", json=fault).status_code == 201
    answers = [
        client.post(
            "/x/2/tweets",
            json={"text": f"t{i}", "reply": {"in_reply_to_tweet_id": "1"}},
            headers=TOKEN,
        )
        for i in range(3)
    ]
    assert [a.status_code for a in answers] == [429, 429, 201]
    assert answers[0].headers["x-rate-limit-remaining"] == "0"
    assert (
        client.post("/_sandbox/faults", json={"platform": "x", "kind": "boom"}).status_code == 422
    )
