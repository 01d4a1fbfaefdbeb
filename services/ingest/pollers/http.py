"""HTTP GET with backoff on rate limits, server errors and network failures.

Credentials travel in params or headers and are never logged: only the URL path is.
Each response's rate-limit and token headers are read into `Signals` for ingest health.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from services.ingest.health import Signals, signals_from

logger = logging.getLogger(__name__)
_MAX_DELAY_S = 300.0


class PollError(RuntimeError):
    """A poll request failed for good (4xx, or retries exhausted)."""

    def __init__(
        self, message: str, signals: Signals | None = None, status: int | None = None
    ) -> None:
        super().__init__(message)
        self.signals = signals or Signals()
        self.status = status  # the HTTP status of a refused request, None after retries


@dataclass(frozen=True)
class Retry:
    """How hard to try: attempts, first delay (doubling), and how to wait."""

    attempts: int = 5
    backoff_s: float = 2.0
    sleep: Callable[[float], None] = lambda _s: None


@dataclass(frozen=True)
class Reply:
    """A successful response: its body and what its headers said about limits and tokens."""

    body: bytes
    signals: Signals = field(default_factory=Signals)


def _delay(response: httpx.Response | None, retry: Retry, attempt: int) -> float:
    after = str(response.headers.get("retry-after", "")) if response is not None else ""
    if after and after.isdigit():
        return min(float(after), _MAX_DELAY_S)
    return min(float(retry.backoff_s * 2**attempt), _MAX_DELAY_S)


def fetch(
    client: httpx.Client,
    url: str,
    *,
    params: dict[str, str],
    headers: dict[str, str],
    retry: Retry,
) -> Reply:
    """A successful GET, retrying 429, 5xx and transport errors."""
    where = httpx.URL(url).path
    signals = Signals()
    problem = "no attempt"
    for attempt in range(retry.attempts):
        response: httpx.Response | None = None
        try:
            response = client.get(url, params=params, headers=headers)
        except httpx.TransportError as err:
            problem = f"network error {type(err).__name__}"
        else:
            signals = signals_from(response.status_code, response.headers, response.content)
            if response.status_code < 400:
                return Reply(response.content, signals)
            if response.status_code != 429 and response.status_code < 500:
                raise PollError(
                    f"GET {where}: HTTP {response.status_code}", signals, response.status_code
                )
            problem = f"HTTP {response.status_code}"
        if attempt + 1 < retry.attempts:
            delay = _delay(response, retry, attempt)
            logger.warning("GET %s: %s; retrying in %.1fs", where, problem, delay)
            retry.sleep(delay)
    raise PollError(f"GET {where}: {problem} after {retry.attempts} attempts", signals)


def get_bytes(
    client: httpx.Client,
    url: str,
    *,
    params: dict[str, str],
    headers: dict[str, str],
    retry: Retry,
) -> bytes:
    """The response body of a successful GET (see fetch)."""
    return fetch(client, url, params=params, headers=headers, retry=retry).body
