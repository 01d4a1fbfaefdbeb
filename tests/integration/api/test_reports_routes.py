"""GET /v1/reports and the per-format downloads: who sees which stored report."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from schemas.registry import ChannelRegistry
from services.api.app import create_app
from services.api.auth import Role
from services.api.context import ApiContext
from services.api.settings import ApiSettings
from services.api.tokens import create_token
from tests.fakes.publisher import RecordingPublisher
from tests.fixtures.api.events import T0

KSS = "local:kent-surrey-sussex"
CALLERS = {
    "admin": {"role": Role.ADMIN},
    "press": {"role": Role.TEAM, "queues": ["press"]},
    "kss": {"role": Role.LEAD, "channels": ["twitter:hee_kss"]},
}


def store(root: Path, month: str, slug: str, kind: str, value: str | None) -> None:
    folder = root / month / slug
    folder.mkdir(parents=True)
    for fmt in ("html", "csv", "pdf"):
        (folder / f"report.{fmt}").write_text(f"{fmt} of {month} {slug}")
    (folder / "report.json").write_text(json.dumps({"scope": {"kind": kind, "value": value}}))


@pytest.fixture
def client(
    engine: Engine, registry: ChannelRegistry, tmp_path: Path
) -> Iterator[tuple[TestClient, dict[str, dict[str, str]]]]:
    root = tmp_path / "reports"
    store(root, "2026-11", "all", "all", None)
    store(root, "2026-11", "queue-press", "queue", "press")
    store(root, "2026-11", "queue-local_kent-surrey-sussex", "queue", KSS)
    store(root, "2026-10", "all", "all", None)
    (root / "2026-10" / "queue-press").mkdir()  # incomplete: not listed
    publisher = RecordingPublisher()
    ctx = ApiContext(settings=ApiSettings(), engine=engine, publisher=publisher,
                     registry=registry, reports_dir=root)  # fmt: skip
    headers = {}
    with Session(engine) as session:
        for name, scope in CALLERS.items():
            token = create_token(session, name=name, registry=registry, now=T0, **scope)  # type: ignore[arg-type]
            headers[name] = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(ctx)) as c:
        yield c, headers
    assert publisher.sent == []  # routes publish only through the outbox


def ids(c: TestClient, headers: dict[str, str]) -> list[str]:
    response = c.get("/v1/reports", headers=headers)
    assert response.status_code == 200
    return [r["id"] for r in response.json()["reports"]]


def test_who_sees_which_reports(client: tuple[TestClient, dict[str, dict[str, str]]]) -> None:
    c, h = client
    assert ids(c, h["admin"]) == ["2026-11/all", "2026-11/queue-local_kent-surrey-sussex",
                                  "2026-11/queue-press", "2026-10/all"]  # fmt: skip
    assert ids(c, h["press"]) == ["2026-11/all", "2026-11/queue-press", "2026-10/all"]
    # A local lead: only the report of the queue made of its channels.
    assert ids(c, h["kss"]) == ["2026-11/queue-local_kent-surrey-sussex"]
    assert c.get("/v1/reports").status_code == 401


def test_downloads_per_format(client: tuple[TestClient, dict[str, dict[str, str]]]) -> None:
    c, h = client
    listed = c.get("/v1/reports", headers=h["kss"]).json()["reports"][0]
    assert sorted(listed["formats"]) == ["csv", "html", "json", "pdf"]
    for fmt, media in (("pdf", "application/pdf"), ("html", "text/html"), ("csv", "text/csv"),
                       ("json", "application/json")):  # fmt: skip
        response = c.get(listed["formats"][fmt], headers=h["kss"])
        assert response.status_code == 200
        assert response.headers["content-type"].startswith(media)
    assert c.get("/v1/reports/2026-11/all/pdf", headers=h["kss"]).status_code == 403
    assert c.get("/v1/reports/2026-11/queue-press/pdf", headers=h["kss"]).status_code == 403
    assert c.get("/v1/reports/2026-11/all/pdf", headers=h["press"]).content == b"pdf of 2026-11 all"
    # Missing: admins are told, others cannot tell it from out of scope.
    assert c.get("/v1/reports/2026-09/all/pdf", headers=h["admin"]).status_code == 404
    assert c.get("/v1/reports/2026-09/all/pdf", headers=h["press"]).status_code == 403
    assert c.get("/v1/reports/2026-11/all/exe", headers=h["admin"]).status_code == 422
    assert c.get("/v1/reports/..%2F..%2Fetc/all/pdf", headers=h["admin"]).status_code == 404
