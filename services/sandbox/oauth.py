"""Credential checks: bearer tokens well-formed, OAuth 1.0a signatures verified (authlib)."""

from __future__ import annotations

import hashlib
import re
import time

from authlib.oauth1.rfc5849.errors import OAuth1Error
from authlib.oauth1.rfc5849.signature import verify_hmac_sha1
from authlib.oauth1.rfc5849.wrapper import OAuth1Request

from services.sandbox.settings import SandboxSettings

_BEARER = re.compile(r"^Bearer ([A-Za-z0-9\-._~+/]{16,4096}=*)$")
_OAUTH_REQUIRED = ("oauth_consumer_key", "oauth_token", "oauth_signature_method",
                   "oauth_signature", "oauth_timestamp", "oauth_nonce")  # fmt: skip


class AuthProblemError(Exception):
    """The credential is missing or malformed; the message is safe to show."""


def account_of(secret: str) -> str:
    """A stable, non-reversible name for a credential (duplicates are per account)."""
    return hashlib.sha256(secret.encode()).hexdigest()[:16]


def bearer(header: str | None) -> str:
    """The account behind a well-formed `Authorization: Bearer` header."""
    if not header:
        raise AuthProblemError("missing Authorization header")
    found = _BEARER.match(header)
    if not found:
        raise AuthProblemError("Authorization header is not a well-formed Bearer token")
    return account_of(found.group(1))


class _Client:
    def __init__(self, secret: str) -> None:
        self._secret = secret

    def get_client_secret(self) -> str:
        return self._secret


class _Credential:
    def __init__(self, secret: str) -> None:
        self._secret = secret

    def get_oauth_token_secret(self) -> str:
        return self._secret


def oauth1(
    *,
    method: str,
    url: str,
    body: str,
    headers: dict[str, str],
    settings: SandboxSettings,
    seen_nonces: set[str],
    now_epoch: int | None = None,
) -> str:
    """Verify an OAuth 1.0a HMAC-SHA1 request against the sandbox's known keys."""
    if settings.flickr_consumer_secret is None or settings.flickr_token_secret is None:
        raise AuthProblemError("the sandbox has no OAuth 1.0a secrets configured")
    try:
        req = OAuth1Request(method, url, body=body, headers=headers)
    except (OAuth1Error, ValueError) as err:
        raise AuthProblemError(f"malformed OAuth 1.0a request: {err}") from None
    missing = [p for p in _OAUTH_REQUIRED if not req.oauth_params.get(p)]
    if missing:
        raise AuthProblemError(f"missing OAuth parameters: {', '.join(missing)}")
    if req.signature_method != "HMAC-SHA1":
        raise AuthProblemError("only HMAC-SHA1 signatures are accepted")
    if req.client_id != settings.flickr_consumer_key or req.token != settings.flickr_token:
        raise AuthProblemError("unknown consumer key or token")
    stamp = str(req.timestamp)
    now = int(time.time()) if now_epoch is None else now_epoch
    if not stamp.isdigit() or abs(int(stamp) - now) > settings.oauth_max_skew_s:
        raise AuthProblemError("oauth_timestamp is too far from the server's clock")
    nonce = f"{stamp}:{req.oauth_params['oauth_nonce']}"
    if nonce in seen_nonces:
        raise AuthProblemError("oauth_nonce was already used")
    req.client = _Client(settings.flickr_consumer_secret.get_secret_value())
    req.credential = _Credential(settings.flickr_token_secret.get_secret_value())
    if not verify_hmac_sha1(req):
        raise AuthProblemError("invalid signature")
    seen_nonces.add(nonce)
    return account_of(str(req.token))
