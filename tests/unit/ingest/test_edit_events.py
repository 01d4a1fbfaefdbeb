"""Two edits of one comment are two events; the same edit delivered twice is one."""

from __future__ import annotations

from datetime import UTC, datetime

from schemas import ItemAction, Platform
from schemas.registry import ChannelRegistry
from services.demo import payloads
from services.ingest.domain import normalise

CREATED = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def _edit(at: datetime) -> dict[str, object]:
    body = payloads.facebook_comment_webhook(
        page_id="nhshee", post_id="nhshee_1", comment_id="1_2", text="fixed typo",
        created_at=CREATED, author_id="42", author_name="Ann", verb="edited",
    )  # fmt: skip
    body["entry"][0]["time"] = int(at.timestamp())
    return body


def test_facebook_edits_are_distinct_events(registry: ChannelRegistry) -> None:
    first = normalise(
        Platform.FACEBOOK, _edit(datetime(2026, 11, 20, 11, tzinfo=UTC)), registry=registry
    )
    again = normalise(
        Platform.FACEBOOK, _edit(datetime(2026, 11, 20, 11, tzinfo=UTC)), registry=registry
    )
    later = normalise(
        Platform.FACEBOOK, _edit(datetime(2026, 11, 20, 12, tzinfo=UTC)), registry=registry
    )
    assert first[0].action is ItemAction.EDITED
    assert first[0].created_at == CREATED
    assert first[0].occurred_at == datetime(2026, 11, 20, 11, tzinfo=UTC)
    assert first[0].event_id == again[0].event_id
    assert first[0].event_id != later[0].event_id
