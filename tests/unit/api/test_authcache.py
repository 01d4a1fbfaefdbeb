"""The token cache: TTL for hits and misses, bounded size, keyed by hash only."""

from __future__ import annotations

from dataclasses import dataclass

from services.api.auth import Principal, Role, hash_token
from services.api.authcache import TokenCache

ALICE = Principal("alice", Role.TEAM, frozenset({"press"}), frozenset({"press"}), frozenset())


@dataclass
class Ticks:
    """A settable monotonic clock."""

    now: float = 100.0

    def __call__(self) -> float:
        return self.now


def test_hit_lives_exactly_ttl() -> None:
    ticks = Ticks()
    cache = TokenCache(ttl_s=5, clock=ticks)
    cache.put("h1", ALICE)
    ticks.now += 4.999
    assert cache.get("h1") == (True, ALICE)
    ticks.now += 0.001
    assert cache.get("h1") == (False, None)


def test_miss_is_cached_no_longer_than_ttl() -> None:
    ticks = Ticks()
    cache = TokenCache(ttl_s=2, clock=ticks)
    cache.put("unknown", None)
    assert cache.get("unknown") == (True, None)
    ticks.now += 2
    assert cache.get("unknown") == (False, None)


def test_ttl_zero_disables_caching() -> None:
    cache = TokenCache(ttl_s=0, clock=Ticks())
    cache.put("h1", ALICE)
    assert not cache.enabled
    assert cache.get("h1") == (False, None)


def test_size_bound_evicts_oldest() -> None:
    cache = TokenCache(ttl_s=60, max_entries=2, max_misses=2, clock=Ticks())
    cache.put("a", ALICE)
    cache.put("b", ALICE)
    cache.put("c", ALICE)
    assert cache.get("a") == (False, None)
    assert cache.get("b") == (True, ALICE) and cache.get("c") == (True, ALICE)
    for miss in ("x", "y", "z"):
        cache.put(miss, None)
    assert cache.get("x") == (False, None) and cache.get("z") == (True, None)


def test_a_flood_of_random_tokens_does_not_flush_live_ones() -> None:
    cache = TokenCache(ttl_s=60, clock=Ticks())
    cache.put(hash_token("sbt_live"), ALICE)
    for n in range(10_000):
        cache.put(hash_token(f"sbt_random{n}"), None)
    assert cache.get(hash_token("sbt_live")) == (True, ALICE)


def test_a_revocation_seen_replaces_the_cached_hit() -> None:
    cache = TokenCache(ttl_s=60, clock=Ticks())
    cache.put("h", ALICE)
    cache.put("h", None)
    assert cache.get("h") == (True, None)


def test_clear_forgets() -> None:
    cache = TokenCache(ttl_s=60, clock=Ticks())
    cache.put(hash_token("sbt_x"), ALICE)
    cache.clear()
    assert cache.get(hash_token("sbt_x")) == (False, None)
