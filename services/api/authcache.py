"""A small in-process cache of token hash -> principal, so a request skips the token query.

Keyed by the token's SHA-256 (the raw token is never stored). Hits and misses (unknown or
revoked tokens) alike live at most `ttl_s` seconds, so a revocation takes effect within the
TTL on every API process. Size-bounded: a flood of random tokens evicts oldest entries first.
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
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl_s = ttl_s
        self.max_entries = max_entries
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, tuple[float, Principal | None]] = OrderedDict()

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
            entry = self._entries.get(digest)
            if entry is None:
                return False, None
            expires, principal = entry
            if now >= expires:
                del self._entries[digest]
                return False, None
            return True, principal

    def put(self, digest: str, principal: Principal | None) -> None:
        """Remember the answer for `digest` (a principal, or None for unknown/revoked)."""
        if not self.enabled:
            return
        expires = self._clock() + self.ttl_s
        with self._lock:
            self._entries[digest] = (expires, principal)
            self._entries.move_to_end(digest)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        """Forget everything (e.g. after revoking a token in the same process)."""
        with self._lock:
            self._entries.clear()
