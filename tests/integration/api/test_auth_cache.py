"""Authentication through the token cache: revocation takes effect within the TTL, not later."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from schemas.registry import ChannelRegistry
from services.api.app import create_app
from services.api.auth import Role, hash_token
from services.api.authcache import TokenCache
from services.api.context import ApiContext
from services.api.settings import ApiSettings
from services.api.tokens import create_token, revoke_token
from tests.fakes.publisher import RecordingPublisher
from tests.fixtures.api.events import T0

TTL = 5.0


@dataclass
class Ticks:
    """A settable monotonic clock for the cache."""

    now: float = 1_000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Cached:
    """An app whose token cache runs on `ticks`, and one team token."""

    client: TestClient
    engine: Engine
    ticks: Ticks
    cache: TokenCache
    token: str


@pytest.fixture
def cached(engine: Engine, registry: ChannelRegistry) -> Iterator[Cached]:
    """The app with an injected cache clock."""
    ticks = Ticks()
    cache = TokenCache(ttl_s=TTL, clock=ticks)
    publisher = RecordingPublisher()
    ctx = ApiContext(
        settings=ApiSettings(),
        engine=engine,
        publisher=publisher,
        registry=registry,
        token_cache=cache,
    )
    with Session(engine) as session:
        token = create_token(
            session, name="alice", role=Role.TEAM, queues=["press"], registry=registry, now=T0
        )
    with TestClient(create_app(ctx)) as client:
        yield Cached(client=client, engine=engine, ticks=ticks, cache=cache, token=token)
    assert publisher.sent == []  # routes publish only through the outbox


def _status(c: Cached, token: str) -> int:
    headers = {"Authorization": f"Bearer {token}"}
    code: int = c.client.get("/v1/queues", headers=headers).status_code
    return code


def test_revocation_takes_effect_within_ttl(cached: Cached) -> None:
    assert _status(cached, cached.token) == 200
    with Session(cached.engine) as session:
        revoke_token(session, name="alice", now=T0)
    cached.ticks.now += TTL - 0.01
    assert _status(cached, cached.token) == 200  # still the cached answer, as documented
    cached.ticks.now += 0.01
    assert _status(cached, cached.token) == 401
    cached.ticks.now += 60
    assert _status(cached, cached.token) == 401


def test_cache_keys_are_hashes_never_the_token(cached: Cached) -> None:
    assert _status(cached, cached.token) == 200
    assert cached.cache.get(hash_token(cached.token))[0]
    assert cached.cache.get(cached.token) == (False, None)


def test_unknown_token_refusal_is_cached_at_most_ttl(cached: Cached) -> None:
    assert _status(cached, "sbt_unknown") == 401
    assert cached.cache.get(hash_token("sbt_unknown")) == (True, None)
    cached.ticks.now += TTL
    assert cached.cache.get(hash_token("sbt_unknown")) == (False, None)
    assert _status(cached, "sbt_unknown") == 401
