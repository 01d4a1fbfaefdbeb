"""A small in-process cache of token hash -> principal, so a request skips the token query.

Keyed by the token's SHA-256 (the raw token is never stored). Hits and misses (unknown or
revoked tokens) alike live at most `ttl_s` seconds, so a revocation takes effect within the
TTL on every API process. Hits and misses are kept apart, each size-bounded: a flood of
random tokens only ever evicts other misses, never a live token's entry.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from services.api.auth import Principal


class TokenCache:
    """Thread-safe TTL cache; `clock` is a monotonic seconds source (injected by tests)."""

    def __init__(
        self,
        *,
        ttl_s: float,
        max_entries: int = 1024,
        max_misses: int = 256,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl_s = ttl_s
        self.max_entries = max_entries
        self.max_misses = max_misses
        self._clock = clock
        self._lock = threading.Lock()
        self._hits: OrderedDict[str, tuple[float, Principal | None]] = OrderedDict()
        self._misses: OrderedDict[str, tuple[float, Principal | None]] = OrderedDict()

    @property
    def enabled(self) -> bool:
        """A TTL of 0 turns caching off: every request asks the database."""
        return self.ttl_s > 0

    def get(self, digest: str) -> tuple[bool, Principal | None]:
        """(found, principal): found is False when absent or expired; principal None = refused."""
        if not self.enabled:
            return False, None
        now = self._clock()
        with self._lock:
            for entries in (self._hits, self._misses):
                entry = entries.get(digest)
                if entry is None:
                    continue
                expires, principal = entry
                if now >= expires:
                    del entries[digest]
                    return False, None
                return True, principal
            return False, None

    def put(self, digest: str, principal: Principal | None) -> None:
        """Remember the answer for `digest` (a principal, or None for unknown/revoked)."""
        if not self.enabled:
            return
        expires = self._clock() + self.ttl_s
        entries, limit = (
            (self._hits, self.max_entries)
            if principal is not None
            else (self._misses, self.max_misses)
        )
        with self._lock:
            # A token revoked since its hit was cached must not keep answering from the hit.
            (self._misses if principal is not None else self._hits).pop(digest, None)
            entries[digest] = (expires, principal)
            entries.move_to_end(digest)
            while len(entries) > limit:
                entries.popitem(last=False)

    def clear(self) -> None:
        """Forget everything (e.g. after revoking a token in the same process)."""
        with self._lock:
            self._hits.clear()
            self._misses.clear()
