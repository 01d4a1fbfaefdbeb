"""The pages over a fresh database (SQLite and PostgreSQL) with the test users signed up."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from schemas.events import RoutedItem
from schemas.registry import ChannelRegistry
from services.api.app import create_app
from services.api.context import ApiContext
from services.api.routed_apply import apply_routed
from services.api.settings import ApiSettings
from services.common.kafka_publisher import KafkaPublisher
from services.common.settings import KafkaSettings
from services.web.context import WebContext
from services.web.settings import WebSettings
from tests.fixtures.web import PASSWORD, RuleChecker, seed_users
from tests.integration.api.conftest import Clock, api_kafka, db_url, engine

__all__ = ["api_kafka", "db_url", "engine"]


@dataclass
class Web:
    """The app under test, its clock and the test users' e-mail addresses."""

    client: TestClient
    engine: Engine
    clock: Clock
    emails: dict[str, str]

    def route(self, *events: RoutedItem) -> None:
        """Project routed events straight into the database."""
        with Session(self.engine) as session, session.begin():
            for event in events:
                apply_routed(session, event=event, now=self.clock.now)

    def sign_in(self, who: str, *, client: TestClient | None = None) -> TestClient:
        """Sign `who` in on `client` (default the shared one) through the form."""
        c = client or self.client
        form = c.get("/sign-in")
        token = form.cookies.get("sb_csrf") or c.cookies.get("sb_csrf")
        answer = c.post(
            "/sign-in",
            data={"email": self.emails[who], "password": PASSWORD, "csrf_token": token},
            follow_redirects=False,
        )
        assert answer.status_code == 303, answer.text
        return c

    def csrf(self, client: TestClient | None = None) -> str:
        """The CSRF token of the signed-in session (read from a page, as a browser would)."""
        page = (client or self.client).get("/").text
        return str(page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0])


@pytest.fixture
def web_settings() -> WebSettings:
    """The web layer's settings (a test module overrides this fixture to change them)."""
    return WebSettings()


@pytest.fixture
def web(
    engine: Engine, registry: ChannelRegistry, api_kafka: KafkaSettings, web_settings: WebSettings
) -> Iterator[Web]:
    """The app over a fresh database with the test users of tests/fixtures/web.py."""
    clock = Clock()
    publisher = KafkaPublisher(api_kafka, timeout_s=15)
    ctx = ApiContext(
        settings=ApiSettings(),
        engine=engine,
        publisher=publisher,
        registry=registry,
        clock=clock,
        checker=RuleChecker(),
    )
    emails = seed_users(engine, registry, now=clock.now)
    app = create_app(ctx, web=WebContext(settings=web_settings))
    with TestClient(app) as client:
        yield Web(client=client, engine=engine, clock=clock, emails=emails)
    publisher.close()
