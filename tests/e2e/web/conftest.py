"""Browser tests: the pages served by a real uvicorn, driven by Debian's Chromium.

Playwright's own browser downloads are never used: `executable_path` points at the system
Chromium (`make test` and .ci/run install it from Debian when missing).
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from sqlalchemy import Engine
from sqlmodel import Session

from schemas.events import RoutedItem
from schemas.registry import ChannelRegistry
from services.api.app import create_app
from services.api.context import ApiContext
from services.api.db import make_engine
from services.api.migrate import upgrade
from services.api.routed_apply import apply_routed
from services.api.settings import ApiSettings
from services.common.kafka_publisher import KafkaPublisher
from services.common.settings import KafkaSettings
from services.web.context import WebContext
from services.web.settings import WebSettings
from tests.fixtures.web import PASSWORD, RuleChecker, live_server, seed_users
from tests.integration.api.conftest import Clock
from tests.support.topics import own_topics

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
# Assertions wait as long as actions do (15 s, not 5): on 2 busy cores a page can take longer.
expect.set_options(timeout=15_000)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless.

    Module-scoped: Playwright's sync API keeps an event loop running in the main thread while
    it is open, and a session-long one made every later `asyncio.run()` in the suite fail.
    """
    path = shutil.which("chromium") or (str(CHROMIUM) if CHROMIUM.exists() else None)
    if path is None:
        pytest.skip("browser tests need Debian's chromium (`apt-get install chromium`; "
                    "`make test` and .ci/run install it when run as root)")  # fmt: skip
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield b
        b.close()


@dataclass
class Site:
    """A served app, its database and clock, and the test users."""

    url: str
    engine: Engine
    clock: Clock
    emails: dict[str, str]

    def route(self, *events: RoutedItem) -> None:
        """Project routed events straight into the database (as the projector would)."""
        with Session(self.engine) as session, session.begin():
            for event in events:
                apply_routed(session, event=event, now=self.clock.now)


@pytest.fixture(scope="module")
def web_kafka(kafka_bootstrap: str) -> Iterator[KafkaSettings]:
    """Topics of our own for the module (replies are published to the real broker)."""
    prefix = f"tweb{uuid.uuid4().hex[:8]}."
    with own_topics(kafka_bootstrap, prefix) as settings:
        yield settings


@pytest.fixture
def site(tmp_path: Path, registry: ChannelRegistry, web_kafka: KafkaSettings) -> Iterator[Site]:
    """The app on a fresh SQLite database, served on a free loopback port."""
    engine = make_engine(f"sqlite:///{tmp_path / 'web.db'}")
    upgrade(engine)
    clock = Clock()
    publisher = KafkaPublisher(web_kafka, timeout_s=15)
    ctx = ApiContext(
        settings=ApiSettings(),
        engine=engine,
        publisher=publisher,
        registry=registry,
        clock=clock,
        checker=RuleChecker(),
    )
    emails = seed_users(engine, registry, now=clock.now)
    web = WebContext(settings=WebSettings(live_poll_s=0.2))
    with live_server(create_app(ctx, web=web)) as server:
        yield Site(url=server.url, engine=engine, clock=clock, emails=emails)
    publisher.close()
    engine.dispose()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context (no cookies) and page."""
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    p = context.new_page()
    p.set_default_timeout(15_000)
    yield p
    context.close()


def sign_in(page: Page, site: Site, who: str) -> None:
    """Sign in through the form, by its accessible names."""
    page.goto(f"{site.url}/sign-in")
    page.get_by_label("Email").fill(site.emails[who])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{site.url}/")


def axe_check(page: Page) -> list[dict[str, Any]]:
    """Run axe-core (served from our own static folder) on the page: serious or worse."""
    page.add_script_tag(url="/static/dist/test/axe.min.js")
    result: dict[str, Any] = page.evaluate("async () => await axe.run(document)")
    return [v for v in result["violations"] if v.get("impact") in ("serious", "critical")]


def shoot(page: Page, name: str) -> None:
    """Write a full-page screenshot for docs/screenshots/ (shown in the README)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
