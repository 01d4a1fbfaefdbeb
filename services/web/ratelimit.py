"""Sign-in attempts limited per account and per client, on a clock the caller passes in.

In memory, per API process: a guesser spread over N processes gets N times the budget, which
is still a handful of guesses a minute. A shared table would make it exact; see docs/web.md.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta


@dataclass
class SlidingWindow:
    """At most `limit` events per key in any `window`; bounded number of keys."""

    limit: int
    window: timedelta
    max_keys: int = 100_000
    _events: dict[str, deque[datetime]] = field(default_factory=dict)

    def _recent(self, key: str, now: datetime) -> deque[datetime]:
        seen = self._events.setdefault(key, deque())
        while seen and seen[0] <= now - self.window:
            seen.popleft()
        return seen

    def allowed(self, key: str, *, now: datetime) -> bool:
        """Whether one more event for `key` fits the window."""
        return len(self._recent(key, now)) < self.limit

    def retry_after(self, key: str, *, now: datetime) -> timedelta:
        """How long until `key` may try again (zero when it may now)."""
        seen = self._recent(key, now)
        if len(seen) < self.limit:
            return timedelta(0)
        return seen[0] + self.window - now

    def note(self, key: str, *, now: datetime) -> None:
        """Count one event for `key`."""
        if key not in self._events and len(self._events) >= self.max_keys:
            # Forget the oldest key rather than grow without bound under a spray of names.
            self._events.pop(next(iter(self._events)))
        self._recent(key, now).append(now)


@dataclass
class SignInLimiter:
    """Failed sign-ins: 5 per account and 20 per client address per 15 minutes by default."""

    per_account: SlidingWindow
    per_client: SlidingWindow

    @classmethod
    def default(
        cls, *, account: int = 5, client: int = 20, window: timedelta = timedelta(minutes=15)
    ) -> SignInLimiter:
        """The limiter with the given budgets."""
        return cls(SlidingWindow(account, window), SlidingWindow(client, window))

    def blocked_for(self, *, email: str, client: str, now: datetime) -> timedelta:
        """How long this attempt must wait; zero when it may go ahead."""
        return max(
            self.per_account.retry_after(email.strip().lower(), now=now),
            self.per_client.retry_after(client, now=now),
        )

    def failed(self, *, email: str, client: str, now: datetime) -> None:
        """Count a failed attempt against both the account and the client."""
        self.per_account.note(email.strip().lower(), now=now)
        self.per_client.note(client, now=now)
