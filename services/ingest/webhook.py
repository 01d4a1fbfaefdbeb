"""Webhook receiver: verify the platform's signature, normalise, produce, then answer.

A 2xx means the items (or the dead letter) are in Kafka. Unsigned requests get 401, badly
signed ones 403, both before anything is parsed or produced. A platform whose secret is not
configured refuses every POST with 503 (fail closed).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import FastAPI, Header, HTTPException, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import SecretStr
from starlette.concurrency import run_in_threadpool

from schemas import Platform
from schemas.registry import ChannelRegistry
from services.common.asgi import BodyLimit
from services.common.clock import utc_now
from services.common.kafka_publisher import PublishError
from services.ingest.pipeline import InboxPublisher, Outcome, ingest_payload
from services.ingest.settings import IngestSettings, MetaSettings, XSettings
from services.ingest.signatures import (
    crc_token_problem,
    meta_signature,
    signature_matches,
    x_signature,
)

logger = logging.getLogger(__name__)

HubMode = Annotated[str | None, Query(alias="hub.mode")]
HubToken = Annotated[str | None, Query(alias="hub.verify_token")]
HubChallenge = Annotated[str | None, Query(alias="hub.challenge")]
MetaSignature = Annotated[str | None, Header(alias="X-Hub-Signature-256")]
XSignature = Annotated[str | None, Header(alias="x-twitter-webhooks-signature")]


@dataclass(frozen=True)
class WebhookSettings:
    """Everything the receiver is configured with."""

    ingest: IngestSettings
    meta: MetaSettings
    x: XSettings


def _secret(value: SecretStr | None, name: str) -> str:
    if value is None or not value.get_secret_value():
        raise HTTPException(503, detail=f"{name} is not configured: refusing unverifiable requests")
    return value.get_secret_value()


def _check(expected: str, given: str | None, header: str) -> None:
    if not given:
        raise HTTPException(401, detail=f"missing {header} header")
    if not signature_matches(expected, given):
        raise HTTPException(403, detail=f"{header} does not match the payload")


def unconfigured(settings: WebhookSettings) -> list[str]:
    """Names of the secrets that are not set (their platforms refuse every POST)."""
    names = {
        "SWITCHBOARD_META_APP_SECRET": settings.meta.app_secret,
        "SWITCHBOARD_META_VERIFY_TOKEN": settings.meta.verify_token,
        "SWITCHBOARD_X_CONSUMER_SECRET": settings.x.consumer_secret,
    }
    return [n for n, v in names.items() if v is None or not v.get_secret_value()]


class Receiver:
    """The route handlers, bound to their settings, publisher, registry and clock."""

    def __init__(
        self,
        *,
        settings: WebhookSettings,
        publisher: InboxPublisher,
        registry: ChannelRegistry,
        clock: Callable[[], datetime],
    ) -> None:
        self.settings = settings
        self.publisher = publisher
        self.registry = registry
        self.clock = clock

    async def _body(self, request: Request) -> bytes:
        # BodyLimit (added in create_app) counts the bytes as they arrive and answers 413.
        return await request.body()

    def _ingest(self, platform: Platform, raw: bytes, now: datetime) -> Outcome:
        return ingest_payload(
            platform=platform,
            raw=raw,
            registry=self.registry,
            publisher=self.publisher,
            source=f"ingest.webhook.{platform.value}",
            now=now,
            received_at=now,
        )

    async def _accept(self, platform: Platform, raw: bytes) -> JSONResponse:
        now = self.clock()
        try:
            outcome = await run_in_threadpool(self._ingest, platform, raw, now)
        except PublishError as err:
            logger.error("webhook %s: %s", platform.value, err)
            raise HTTPException(503, detail="Kafka unavailable; retry later") from err
        letter = outcome.dead_letter
        if letter is not None:
            body: dict[str, Any] = {
                "status": "dead-lettered",
                "produced": 0,
                "error_type": letter.error_type,
                "error": letter.error,
                "dead_letter_event_id": str(letter.event_id),
            }
            return JSONResponse(body, status_code=202)
        ids = [str(i.event_id) for i in outcome.items]
        return JSONResponse({"status": "ok", "produced": len(ids), "event_ids": ids})

    def healthz(self) -> dict[str, str]:
        """Liveness: the process answers (no auth)."""
        return {"status": "ok"}

    def meta_verify(
        self, mode: HubMode = None, token: HubToken = None, challenge: HubChallenge = None
    ) -> PlainTextResponse:
        """Meta's subscription check: echo hub.challenge when hub.verify_token matches."""
        expected = _secret(self.settings.meta.verify_token, "SWITCHBOARD_META_VERIFY_TOKEN")
        if mode != "subscribe" or challenge is None:
            raise HTTPException(400, detail="expected hub.mode=subscribe and hub.challenge")
        if not token or not signature_matches(expected, token):
            raise HTTPException(403, detail="hub.verify_token does not match")
        return PlainTextResponse(challenge)

    async def _meta_post(self, platform: Platform, request: Request, given: str | None) -> Any:
        secret = _secret(self.settings.meta.app_secret, "SWITCHBOARD_META_APP_SECRET")
        raw = await self._body(request)
        _check(meta_signature(secret, raw), given, "X-Hub-Signature-256")
        return await self._accept(platform, raw)

    async def facebook_post(self, request: Request, signature: MetaSignature = None) -> Any:
        """A Page webhook delivery, signed with the Meta app secret."""
        return await self._meta_post(Platform.FACEBOOK, request, signature)

    async def instagram_post(self, request: Request, signature: MetaSignature = None) -> Any:
        """An Instagram webhook delivery, signed with the Meta app secret."""
        return await self._meta_post(Platform.INSTAGRAM, request, signature)

    def twitter_crc(self, crc_token: str | None = None) -> dict[str, str]:
        """X's challenge-response check: HMAC-SHA256 of crc_token with the consumer secret.

        The response token is exactly the signature a POST whose body is crc_token would
        carry, so only tokens shaped like X's (see `crc_token_problem`) are ever signed.
        """
        secret = _secret(self.settings.x.consumer_secret, "SWITCHBOARD_X_CONSUMER_SECRET")
        problem = crc_token_problem(crc_token)
        if problem is not None or crc_token is None:
            raise HTTPException(400, detail=problem or "missing crc_token")
        return {"response_token": x_signature(secret, crc_token.encode())}

    async def twitter_post(self, request: Request, signature: XSignature = None) -> Any:
        """An Account Activity delivery, signed with the consumer secret."""
        secret = _secret(self.settings.x.consumer_secret, "SWITCHBOARD_X_CONSUMER_SECRET")
        raw = await self._body(request)
        _check(x_signature(secret, raw), signature, "x-twitter-webhooks-signature")
        return await self._accept(Platform.TWITTER, raw)


def create_app(
    *,
    settings: WebhookSettings,
    publisher: InboxPublisher,
    registry: ChannelRegistry,
    clock: Callable[[], datetime] = utc_now,
) -> FastAPI:
    """The receiver app; tests pass their own settings, publisher, registry and clock."""
    r = Receiver(settings=settings, publisher=publisher, registry=registry, clock=clock)
    app = FastAPI(title="Switchboard ingest", version="1")
    app.add_middleware(BodyLimit, max_bytes=settings.ingest.max_body_bytes)
    app.add_api_route("/healthz", r.healthz, methods=["GET"])
    for name in ("facebook", "instagram"):
        app.add_api_route(
            f"/webhooks/{name}", r.meta_verify, methods=["GET"], response_class=PlainTextResponse
        )
    app.add_api_route("/webhooks/facebook", r.facebook_post, methods=["POST"])
    app.add_api_route("/webhooks/instagram", r.instagram_post, methods=["POST"])
    app.add_api_route("/webhooks/twitter", r.twitter_crc, methods=["GET"])
    app.add_api_route("/webhooks/twitter", r.twitter_post, methods=["POST"])
    return app
