"""The pure parts: folding routed events, workflow rules, cursors, metrics text."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from schemas.enums import RoutedStatus
from services.api.cursors import (
    CursorError,
    change_cursor,
    page_cursor,
    read_change_cursor,
    read_page_cursor,
)
from services.api.domain.projection import Routing, fold
from services.api.domain.workflow import (
    ActionConflictError,
    WorkState,
    WorkStatus,
    check_claim,
    check_reassign,
    check_reply,
    check_resolve,
    check_unclaim,
    work_status,
)
from services.api.metrics import RequestMetrics, render_gauges
from tests.fixtures.api.events import T0, inbox_item, routed

H, Q, R = RoutedStatus.HELD, RoutedStatus.QUEUED, RoutedStatus.RELEASED


def _fold_all(events: list) -> Routing:  # type: ignore[type-arg]
    state = None
    for e in events:
        state = fold(state, e)
    assert state is not None
    return state


def test_fold_converges_whatever_the_order_and_repeats() -> None:
    item = inbox_item(1, at=T0 - timedelta(hours=15))
    events = [
        routed(item, H, hold_until=T0),
        routed(item, R, at=T0),
        routed(item, R, at=T0),
    ]
    results = {_fold_all(list(p)) for p in itertools.permutations(events)}
    assert len(results) == 1
    state = results.pop()
    assert state.routing_status is R
    assert (state.hold_until, state.available_at, state.sort_at) == (T0, T0, T0)
    assert state.received_at == T0 - timedelta(hours=15)
    assert state.reason.endswith("queue opened")


def test_held_alone_sorts_by_hold_until_and_never_goes_backwards() -> None:
    item = inbox_item(1)
    held = fold(None, routed(item, H, hold_until=T0 + timedelta(hours=2)))
    assert held.available_at is None and held.sort_at == T0 + timedelta(hours=2)
    released = fold(held, routed(item, R, at=T0 + timedelta(hours=2)))
    assert fold(released, routed(item, H)).routing_status is R


def test_fold_keeps_the_queue_a_person_chose() -> None:
    item = inbox_item(1)
    held = fold(None, routed(item, H))
    reassigned = Routing(**{**held.__dict__, "queue": "digital"})
    assert fold(reassigned, routed(item, R)).queue == "digital"


@pytest.mark.parametrize(
    ("held", "claimed_by", "resolved", "expected"),
    [
        (True, None, False, WorkStatus.HELD),
        (False, None, False, WorkStatus.OPEN),
        (False, "a", False, WorkStatus.CLAIMED),
        (True, None, True, WorkStatus.RESOLVED),
        (False, "a", True, WorkStatus.RESOLVED),
    ],
)
def test_work_status(
    held: bool, claimed_by: str | None, resolved: bool, expected: WorkStatus
) -> None:
    assert work_status(held=held, claimed_by=claimed_by, resolved=resolved) is expected


def _state(status: WorkStatus, claimed_by: str | None = None) -> WorkState:
    return WorkState(status=status, claimed_by=claimed_by, hold_until=T0, queue="press")


def test_workflow_rules() -> None:
    assert check_claim(_state(WorkStatus.OPEN), actor="a") is True
    assert check_claim(_state(WorkStatus.CLAIMED, "a"), actor="a") is False
    with pytest.raises(ActionConflictError) as err:
        check_claim(_state(WorkStatus.CLAIMED, "a"), actor="b")
    assert err.value.holder == "a"
    with pytest.raises(ActionConflictError, match="held until"):
        check_claim(_state(WorkStatus.HELD), actor="a")
    assert check_unclaim(_state(WorkStatus.CLAIMED, "a"), actor="b", admin=True) is True
    assert check_unclaim(_state(WorkStatus.OPEN), actor="b", admin=False) is False
    assert check_resolve(_state(WorkStatus.RESOLVED), actor="a", admin=False) is False
    with pytest.raises(ActionConflictError, match="not in the registry"):
        check_reply(_state(WorkStatus.OPEN), actor="a", channel_known=False)
    with pytest.raises(ActionConflictError, match="already in queue"):
        check_reassign(_state(WorkStatus.OPEN), actor="a", admin=False, to_queue="press")


def test_cursors_round_trip_and_reject_forgeries() -> None:
    at = T0 + timedelta(microseconds=123_457)
    assert read_page_cursor(page_cursor(sort_at=at, item_id=42)) == (at, 42)
    assert read_change_cursor(change_cursor(99)) == 99
    for bad in ("", "!!", "cDF8eA", change_cursor(1)):
        with pytest.raises(CursorError):
            read_page_cursor(bad)
    for bad in ("", "zz", page_cursor(sort_at=at, item_id=1), "YzF8LTE"):
        with pytest.raises(CursorError):
            read_change_cursor(bad)


def test_metrics_text_format() -> None:
    m = RequestMetrics()
    m.observe(route="/v1/queues", method="GET", status=200, seconds=0.02)
    lines = render_gauges(items={("press", "open"): 3}, lag={("t", 0): 5}) + m.render()
    text = "\n".join(lines)
    assert 'switchboard_items{queue="press",status="open"} 3' in text
    assert 'switchboard_projector_lag{topic="t",partition="0"} 5' in text
    base = 'route="/v1/queues",method="GET",status="200"'
    assert f'switchboard_api_request_duration_seconds_bucket{{{base},le="0.01"}} 0' in text
    assert f'switchboard_api_request_duration_seconds_bucket{{{base},le="0.025"}} 1' in text
    assert f"switchboard_api_request_duration_seconds_count{{{base}}} 1" in text
