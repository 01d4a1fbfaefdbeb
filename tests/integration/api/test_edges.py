"""The API's edges over HTTP: headers on personal data, cheap /metrics, crafted cursors."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from sqlalchemy import event

from tests.integration.api.conftest import Api


@pytest.fixture
def crosses_broker() -> bool:
    """Nothing in this module reads a topic: no relay, no broker."""
    return False


KSS = "twitter:hee_kss"


def crafted(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def test_every_answer_is_no_store_and_nosniff(api: Api) -> None:
    for path, headers in [
        ("/v1/queues/press/items", api.auth("press")),
        ("/v1/queues/press/items", {}),  # a 401
        ("/healthz", {}),
        ("/nowhere", {}),
    ]:
        r = api.client.get(path, headers=headers)
        assert r.headers["cache-control"] == "no-store", (path, r.status_code)
        assert r.headers["x-content-type-options"] == "nosniff", (path, r.status_code)


def test_metrics_counts_items_once_per_ttl_and_bounds_methods(api: Api) -> None:
    statements: list[str] = []

    def seen(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(api.engine, "before_cursor_execute", seen)
    try:
        for _ in range(5):
            assert api.client.get("/metrics").status_code == 200
    finally:
        event.remove(api.engine, "before_cursor_execute", seen)
    assert sum("count(" in s.lower() for s in statements) == 1
    for n in range(50):
        api.client.request(f"BREW{n}", "/healthz")
    body = api.client.get("/metrics").text
    assert "BREW" not in body and 'method="other"' in body


@pytest.mark.parametrize(
    ("path", "param", "text"),
    [
        (f"/v1/channels/{KSS}/items", "since", "c1|\u00b2"),
        (f"/v1/channels/{KSS}/items", "since", "c1|\u0662\u0663"),
        (f"/v1/channels/{KSS}/items", "since", "c1|" + "9" * 30),
        ("/v1/queues/local:kent-surrey-sussex/items", "cursor", "p1|0|" + "1" * 30),
        ("/v1/queues/local:kent-surrey-sussex/items", "cursor", "p1|0| 1_0 "),
        ("/v1/queues/local:kent-surrey-sussex/items", "cursor", "p1|0|-5"),
    ],
)
def test_crafted_cursors_are_client_errors_with_a_reason(
    api: Api, path: str, param: str, text: str
) -> None:
    r = api.client.get(path, params={param: crafted(text)}, headers=api.auth("kss"))
    assert r.status_code == 400, r.text
    assert r.json()["detail"] == f"{param}: cursor is not one this API issued"
