"""Crafted cursors are refused as not ours (a 400 naming the parameter), never a 500."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest

from services.api.cursors import (
    CursorError,
    change_cursor,
    page_cursor,
    read_change_cursor,
    read_page_cursor,
)


def crafted(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "text",
    [
        "c1|\u0662\u0663",  # Arabic-Indic digits: isdigit() is True, int() accepts them
        "c1|\u00b2",  # superscript two: isdigit() is True, int() refuses it
        "c1|" + "9" * 30,
        "c1|-1",
        "c1| 1",
        "c1|1_0",
        "c1|",
    ],
)
def test_crafted_change_cursors_are_refused(text: str) -> None:
    with pytest.raises(CursorError):
        read_change_cursor(crafted(text))


@pytest.mark.parametrize(
    "text",
    [
        "p1|0|" + "1" * 30,  # an id past BIGINT: a 500 from PostgreSQL
        "p1|" + "1" * 30 + "|1",
        "p1|0| 1_0 ",
        "p1|0|-5",
        "p1|-1|1",
        "p1|\u0661|1",
        "p1|0|\u0661",
        "p1|0|+1",
    ],
)
def test_crafted_page_cursors_are_refused(text: str) -> None:
    with pytest.raises(CursorError):
        read_page_cursor(crafted(text))


def test_issued_cursors_still_read_back() -> None:
    at = datetime(2026, 11, 23, 10, 0, 0, 123456, tzinfo=UTC)
    assert read_page_cursor(page_cursor(sort_at=at, item_id=42)) == (at, 42)
    assert read_change_cursor(change_cursor(987654321)) == 987654321
    assert read_change_cursor(change_cursor(0)) == 0
