"""One HTTP client per platform behind one port; credentials are added here, and only here.

Bearer tokens go in the Authorization header (never the URL, so access logs and httpx's
request log never show them). OAuth 1.0a requests (Flickr; X when an account has OAuth 1.0a
keys) are signed by authlib.
"""

from __future__ import annotations

import json
from collections.abc import Generator
from typing import Protocol

import httpx
from authlib.oauth1 import ClientAuth

from schemas.enums import Platform
from services.publisher.adapters.credentials import AccountCredentials
from services.publisher.domain.model import Answer, PlatformRequest

_MAX_BODY = 1_000_000  # an answer larger than this is cut before decoding


class NotSentError(Exception):
    """The request never reached the platform (connection refused or timed out): safe to retry."""


class NoAnswerError(Exception):
    """The request was sent but no answer came: the platform may have acted on it."""


class MissingCredentialsError(Exception):
    """The account has no usable credentials for this platform."""


class PlatformPort(Protocol):
    """Sends one platform request for one account."""

    async def send(self, request: PlatformRequest, creds: AccountCredentials) -> Answer:
        """The platform's answer; NotSentError / NoAnswerError when there is none."""
        ...

    async def aclose(self) -> None:
        """Release connections."""
        ...


class _OAuth1(httpx.Auth):
    """authlib's RFC 5849 signer (HMAC-SHA1, Authorization header) as an httpx auth flow."""

    requires_request_body = True

    def __init__(self, creds: AccountCredentials) -> None:
        assert creds.consumer_key is not None
        assert creds.consumer_secret is not None
        assert creds.token is not None
        assert creds.token_secret is not None
        self._auth = ClientAuth(
            creds.consumer_key.get_secret_value(),
            client_secret=creds.consumer_secret.get_secret_value(),
            token=creds.token.get_secret_value(),
            token_secret=creds.token_secret.get_secret_value(),
        )

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        # authlib looks for "Content-Type" by that spelling and signs form bodies as text.
        given = {k: v for k, v in request.headers.items() if k.lower() != "content-type"}
        if "content-type" in request.headers:
            given["Content-Type"] = request.headers["content-type"]
        url, headers, body = self._auth.prepare(
            request.method, str(request.url), given, request.content.decode("utf-8")
        )
        content = body if isinstance(body, bytes) else str(body or "").encode()
        headers = {k: v for k, v in headers.items() if k.lower() != "content-length"}
        signed = httpx.Request(request.method, url, headers=headers, content=content)
        signed.extensions = request.extensions
        yield signed


class HttpPlatformClient:
    """The client for one platform: its base URL, its auth scheme, its timeouts."""

    def __init__(self, platform: Platform, *, base_url: str, timeout_s: float) -> None:
        self.platform = platform
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            timeout=httpx.Timeout(timeout_s, connect=min(timeout_s, 5.0)),
            limits=httpx.Limits(max_connections=50, max_keepalive_connections=20),
            follow_redirects=False,
        )

    def _auth(self, creds: AccountCredentials) -> httpx.Auth | dict[str, str]:
        if self.platform is Platform.FLICKR or (
            self.platform is Platform.TWITTER and creds.access_token is None
        ):
            if not creds.oauth1:
                raise MissingCredentialsError(f"{self.platform.value} needs OAuth 1.0a keys")
            return _OAuth1(creds)
        if creds.access_token is None:
            raise MissingCredentialsError(f"{self.platform.value} needs an access token")
        return {"Authorization": f"Bearer {creds.access_token.get_secret_value()}"}

    async def send(self, request: PlatformRequest, creds: AccountCredentials) -> Answer:
        """Send, returning the answer; transport failures become NotSent / NoAnswer."""
        auth = self._auth(creds)
        headers = dict(request.headers)
        if isinstance(auth, dict):
            headers.update(auth)
        try:
            resp = await self._http.request(
                request.method,
                request.path,
                params=request.params or None,
                json=request.json,
                data=request.form,
                headers=headers,
                auth=auth if isinstance(auth, httpx.Auth) else httpx.USE_CLIENT_DEFAULT,
            )
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as err:
            raise NotSentError(f"{self.platform.value}: not sent ({type(err).__name__})") from None
        except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as err:
            raise NoAnswerError(
                f"{self.platform.value}: sent, no answer ({type(err).__name__})"
            ) from None
        return Answer(resp.status_code, {k.lower(): v for k, v in resp.headers.items()},
                      _decode(resp.content[:_MAX_BODY]))  # fmt: skip

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()


def _decode(content: bytes) -> object:
    try:
        return json.loads(content)
    except ValueError:
        return content.decode("utf-8", errors="replace")
