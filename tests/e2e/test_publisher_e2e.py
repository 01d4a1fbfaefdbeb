"""A reply made through the API reaches the sandbox via the publisher, and comes back as sent."""

from __future__ import annotations

import uuid

import httpx

from schemas import INBOX_WORK
from schemas.work import ReplyPublished, WorkEvent
from services.demo import payloads
from services.supervisor.demo import DEMO_ACCOUNT_IDS
from tests.e2e.conftest import MONDAY_OPEN, Pipeline
from tests.support.kafka import KafkaRecorder
from tests.support.waiting import eventually


def test_a_reply_is_posted_to_the_sandbox_and_published_with_its_permalink(
    pipeline: Pipeline,
) -> None:
    pipeline.set_clock(MONDAY_OPEN)
    page = DEMO_ACCOUNT_IDS["facebook:nhshee"][0]
    comment_id = f"{page}_{uuid.uuid4().int % 10**9}"
    asked = f"Is the portal down? ({uuid.uuid4().hex[:8]})"
    body = payloads.facebook_comment_webhook(
        page_id=page, post_id=f"{page}_77", comment_id=comment_id, text=asked,
        created_at=MONDAY_OPEN, author_id="31002", author_name="Tom B",
    )  # fmt: skip
    assert pipeline.post_webhook("facebook", body).status_code == 200

    def listed() -> str | None:
        items = pipeline.get("/v1/queues/press/items", limit="200").json()["items"]
        return next((str(i["id"]) for i in items if i["text"] == asked), None)

    # Found by its text, not a computed id: the item id's derivation is the API's business.
    item_id = eventually(listed, what="the item in the press queue")
    text = f"Sorry about that - it is back up now ({uuid.uuid4().hex[:6]})."
    answer = httpx.post(
        f"{pipeline.api}/v1/items/{item_id}/reply",
        json={"text": text},
        headers={"Authorization": f"Bearer {pipeline.admin_token}"},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    reply_id = answer.json()["reply_id"]

    sandbox = f"http://127.0.0.1:{pipeline.env['SWITCHBOARD_UP_SANDBOX_PORT']}"

    def posted() -> list[dict[str, str]]:
        found = httpx.get(f"{sandbox}/_sandbox/posts", params={"platform": "facebook"}).json()
        return [p for p in found if p["text"] == text]

    (post,) = eventually(posted, what="the reply in the sandbox")
    assert post["in_reply_to"] == comment_id

    def ours(value: bytes | None) -> ReplyPublished | None:
        if value is None:
            return None
        detail = WorkEvent.model_validate_json(value).detail
        if isinstance(detail, ReplyPublished) and str(detail.reply_id) == reply_id:
            return detail
        return None

    with KafkaRecorder(pipeline.bootstrap, pipeline.topic_prefix + INBOX_WORK.name) as work:
        record = work.expect_record(lambda r: ours(r.value) is not None)
    detail = ours(record.value)
    assert detail is not None
    assert detail.platform_reply_id == post["post_id"]
    assert detail.permalink == f"{sandbox}/_sandbox/p/facebook/{post['post_id']}"
    assert httpx.get(detail.permalink).status_code == 200
    assert any(line.startswith("publisher | ready in") for line in pipeline.log)
