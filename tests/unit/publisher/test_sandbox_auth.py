"""The sandbox verifies OAuth 1.0a signatures made by authlib, and refuses tampering."""

from __future__ import annotations

import json
import time

import pytest
from authlib.oauth1 import ClientAuth
from pydantic import SecretStr

from services.publisher.adapters.credentials import CredentialsError, load_credentials
from services.sandbox.oauth import AuthProblemError, bearer, oauth1
from services.sandbox.settings import SandboxSettings

URL = "http://127.0.0.1:9/flickr/services/rest/"
BODY = "method=flickr.photos.comments.addComment&photo_id=52&comment_text=hi&format=json"


def _settings() -> SandboxSettings:
    return SandboxSettings(flickr_consumer_secret="cs", flickr_token_secret="ts")


def _signed(secret: str = "cs", body: str = BODY) -> tuple[str, dict[str, str]]:
    auth = ClientAuth("sandbox-flickr-key", client_secret=secret, token="sandbox-flickr-token",
                      token_secret="ts")  # fmt: skip
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    _, signed, out = auth.prepare("POST", URL, headers, body)
    return str(out), {"Authorization": signed["Authorization"]}


def test_a_good_signature_passes_once() -> None:
    body, headers = _signed()
    nonces: set[str] = set()
    assert oauth1(method="POST", url=URL, body=body, headers=headers, settings=_settings(),
                  seen_nonces=nonces)  # fmt: skip
    with pytest.raises(AuthProblemError, match="nonce"):  # replay
        oauth1(method="POST", url=URL, body=body, headers=headers, settings=_settings(),
               seen_nonces=nonces)  # fmt: skip


@pytest.mark.parametrize("tamper", ["secret", "body", "stale"])
def test_a_bad_signature_is_refused(tamper: str) -> None:
    body, headers = _signed(secret="wrong" if tamper == "secret" else "cs")
    if tamper == "body":
        body = body.replace("comment_text=hi", "comment_text=bye")
    now = int(time.time()) + (3600 if tamper == "stale" else 0)
    with pytest.raises(AuthProblemError):
        oauth1(method="POST", url=URL, body=body, headers=headers, settings=_settings(),
               seen_nonces=set(), now_epoch=now)  # fmt: skip


def test_bearer_must_be_well_formed() -> None:
    assert bearer("Bearer " + "a" * 20)
    for bad in (
        None,
        "",
        "Bearer",
        "Bearer short",
        "Basic " + "a" * 20,
        "Bearer a b c d e f g h i",
    ):
        with pytest.raises(AuthProblemError):
            bearer(bad)


def test_malformed_credentials_name_the_place_not_the_secret() -> None:
    secret = "tok_very_secret_value"
    bad = json.dumps({"accounts": {"twitter:a": {"access_token": secret, "password": "x"}}})
    with pytest.raises(CredentialsError) as err:
        load_credentials(path=None, inline=SecretStr(bad))
    assert secret not in str(err.value) and "twitter:a.password" in str(err.value)
