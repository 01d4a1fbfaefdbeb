"""The sandbox's HTTP app: six platforms' reply and moderation endpoints, plus controls.

It is our own stand-in that validates requests as the platforms document them; it is not
the platforms, and passing here does not prove a real platform would accept a request.
"""

from __future__ import annotations

import asyncio
import html
import logging
import time
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse

from services.sandbox import platforms as pf
from services.sandbox.errors import Answer, fault_answer, invalid, unauthorised
from services.sandbox.inbound import InboundState
from services.sandbox.oauth import AuthProblemError, bearer, oauth1
from services.sandbox.reads import add_read_routes
from services.sandbox.settings import SandboxSettings
from services.sandbox.state import Fault, Post, Received, SandboxState

logger = logging.getLogger(__name__)

MAX_BODY = 64 * 1024
_HIDDEN = {"authorization"}
Parse = Callable[[bytes], pf.Accepted | Answer]


def _json(answer: Answer) -> Response:
    status, headers, body = answer
    if status == 204:
        return Response(status_code=204, headers=headers)
    return JSONResponse(body, status_code=status, headers=headers)


class Sandbox:
    """Handlers over one state."""

    def __init__(self, settings: SandboxSettings, state: SandboxState | None = None) -> None:
        self.settings = settings
        self.state = state or SandboxState(max_recorded=settings.max_recorded)

    async def _received(self, request: Request, platform: str, operation: str) -> Received:
        raw = await request.body()
        headers = {k: v for k, v in request.headers.items() if k not in _HIDDEN}
        scheme = request.headers.get("authorization", "").split(" ", 1)[0] or None
        received = Received(self.state.next_seq(), platform, operation, request.method,
                            request.url.path, dict(request.query_params), headers, scheme,
                            None)  # fmt: skip
        ctype = request.headers.get("content-type", "")
        body: Any = raw.decode("utf-8", errors="replace")
        if "json" in ctype:
            body = pf.parse_json(raw)
        elif "form" in ctype:
            body = pf.form(raw)
        received.body = body
        return received

    def _account(self, platform: str, request: Request, raw: bytes) -> str:
        auth = request.headers.get("authorization")
        if platform == "flickr":
            return oauth1(method=request.method, url=str(request.url), body=raw.decode(),
                          headers={"Authorization": auth or ""}, settings=self.settings,
                          seen_nonces=self.state.nonces)  # fmt: skip
        if platform == "twitter" and auth and auth.lower().startswith("oauth "):
            return oauth1(method=request.method, url=str(request.url), body="",
                          headers={"Authorization": auth}, settings=self.settings,
                          seen_nonces=self.state.nonces)  # fmt: skip
        if platform in ("facebook", "instagram") and not auth:
            token = request.query_params.get("access_token") or pf.form(raw).get("access_token")
            auth = f"Bearer {token}" if token else None
        return bearer(auth)

    async def reply(self, request: Request, platform: str, parse: Parse) -> Response:
        """Validate, apply any fault, post once, answer as the platform would."""
        raw = await request.body()
        received = await self._received(request, platform, "reply")
        self.state.record(received)  # in arrival order; the status is filled in when known
        answer = await self._reply(request, platform, raw, parse, received)
        received.status = answer[0]
        if answer[0] >= 300 or (isinstance(answer[2], dict) and answer[2].get("stat") == "fail"):
            received.error = str(answer[2])[:500]
        return _json(answer)

    async def _reply(self, request: Request, platform: str, raw: bytes, parse: Parse,
                     received: Received) -> Answer:  # fmt: skip
        if len(raw) > MAX_BODY:
            return 413, {}, {"error": "request body too large"}
        try:
            account = self._account(platform, request, raw)
        except AuthProblemError as err:
            return unauthorised(platform, str(err))
        parsed = parse(raw)
        if not isinstance(parsed, pf.Accepted):
            return parsed
        fault = self.state.take_fault(platform, moderation=False)
        received.fault = fault.kind if fault else None
        if fault and fault.kind == "timeout":
            await asyncio.sleep(fault.delay_s)
            return 504, {}, {"error": "gateway timeout (sandbox fault: nothing was posted)"}
        if fault and fault.kind != "hang":
            return fault_answer(platform, fault.kind, retry_after_s=fault.retry_after_s,
                                now_epoch=int(time.time()))  # fmt: skip
        if platform == "twitter" and self.state.duplicate(platform, account, parsed.text):
            return 403, {}, {"title": "Forbidden", "type": "about:blank", "status": 403,
                             "detail": "You are not allowed to create a Tweet with duplicate "
                             "content."}  # fmt: skip
        seq = self.state.next_seq()
        post_id = parsed.new_id(seq)
        self.state.add_post(Post(platform, post_id, parsed.in_reply_to, parsed.text, account, seq))
        received.post_id = post_id
        if fault and fault.kind == "hang":
            await asyncio.sleep(fault.delay_s)  # posted: the answer comes (too) late
        status, headers, body = parsed.answer(post_id)
        return status, {**self._usage(platform), **headers}, body

    @staticmethod
    def _usage(platform: str) -> dict[str, str]:
        if platform == "twitter":
            reset = str(int(time.time()) + 900)
            return {"x-rate-limit-limit": "100", "x-rate-limit-remaining": "99",
                    "x-rate-limit-reset": reset}  # fmt: skip
        if platform in ("facebook", "instagram"):
            return {"x-app-usage": '{"call_count":1,"total_cputime":1,"total_time":1}'}
        return {}

    async def moderate(self, request: Request, platform: str, op: str, target: str) -> Response:
        """Hide, unhide or delete a comment."""
        raw = await request.body()
        received = await self._received(request, platform, op)
        self.state.record(received)
        answer: Answer
        try:
            self._account(platform, request, raw)
        except AuthProblemError as err:
            answer = unauthorised(platform, str(err))
        else:
            fault = self.state.take_fault(platform, moderation=True)
            received.fault = fault.kind if fault else None
            if fault and fault.kind in ("timeout", "hang"):
                await asyncio.sleep(fault.delay_s)
            if fault and fault.kind not in ("timeout", "hang"):
                answer = fault_answer(platform, fault.kind, retry_after_s=fault.retry_after_s,
                                      now_epoch=int(time.time()))  # fmt: skip
            elif target in self.state.removed:
                answer = fault_answer(platform, "gone", retry_after_s=0, now_epoch=0)
            else:
                if op == "delete":
                    self.state.removed.add(target)
                answer = (204, {}, None) if platform == "youtube" else (200, {}, {"success": True})
        received.status = answer[0]
        return _json(answer)

    async def lookup(self, request: Request, platform: str, parent: str) -> Response:
        """List the replies accepted under `parent`, in the platform's list shape."""
        raw = await request.body()
        received = await self._received(request, platform, "lookup")
        self.state.record(received)
        try:
            self._account(platform, request, raw)
        except AuthProblemError as err:
            answer = unauthorised(platform, str(err))
        else:
            with self.state.lock:
                found = [p for p in self.state.posts
                         if p.platform == platform and p.in_reply_to == parent]  # fmt: skip
            if platform == "youtube":
                items = [
                    {"kind": "youtube#comment", "id": p.post_id,
                     "snippet": {"parentId": parent, "textOriginal": p.text}}
                    for p in found
                ]  # fmt: skip
                answer = (200, {}, {"kind": "youtube#commentListResponse", "items": items})
            else:
                key = "message" if platform == "facebook" else "text"
                answer = (200, {}, {"data": [{"id": p.post_id, key: p.text} for p in found]})
        received.status = answer[0]
        return _json(answer)


def create_app(settings: SandboxSettings, *, state: SandboxState | None = None) -> FastAPI:
    """The sandbox app; `state` may be shared with a test."""
    sb = Sandbox(settings, state)
    app = FastAPI(title="Switchboard platform sandbox", docs_url=None, redoc_url=None)
    app.state.sandbox = sb
    _platform_routes(app, sb)
    _control_routes(app, sb)
    # The read endpoints the ingest pollers use, over their own inbound comments.
    app.state.inbound = InboundState()
    add_read_routes(app, app.state.inbound)
    return app


def _graph_fields(request: Request, raw: bytes) -> dict[str, str]:
    return {**dict(request.query_params), **pf.form(raw)}


def _platform_routes(app: FastAPI, sb: Sandbox) -> None:  # noqa: C901 - one route each
    @app.post("/x/2/tweets")
    async def x_tweets(request: Request) -> Response:
        ctype = request.headers.get("content-type", "")
        return await sb.reply(request, "twitter", lambda raw: pf.twitter(raw, ctype))

    @app.post("/facebook/{version}/{node}/comments")
    async def fb_comment(request: Request, version: str, node: str) -> Response:
        return await sb.reply(request, "facebook", lambda raw: pf.graph_reply(
            "facebook", version, node, _graph_fields(request, raw)))  # fmt: skip

    @app.post("/instagram/{version}/{node}/replies")
    async def ig_reply(request: Request, version: str, node: str) -> Response:
        return await sb.reply(request, "instagram", lambda raw: pf.graph_reply(
            "instagram", version, node, _graph_fields(request, raw)))  # fmt: skip

    @app.get("/facebook/{version}/{node}/comments")
    async def fb_list(request: Request, version: str, node: str) -> Response:  # noqa: ARG001 - the path parameter FastAPI matches
        return await sb.lookup(request, "facebook", node)

    @app.get("/instagram/{version}/{node}/replies")
    async def ig_list(request: Request, version: str, node: str) -> Response:  # noqa: ARG001 - the path parameter FastAPI matches
        return await sb.lookup(request, "instagram", node)

    @app.get("/google/youtube/v3/comments")
    async def yt_list(request: Request) -> Response:
        return await sb.lookup(request, "youtube", request.query_params.get("parentId", ""))

    @app.post("/{platform}/{version}/{node}")
    async def graph_hide(request: Request, platform: str, version: str, node: str) -> Response:  # noqa: ARG001 - the path parameter FastAPI matches
        flag = "is_hidden" if platform == "facebook" else "hide"
        fields = _graph_fields(request, await request.body())
        if platform not in ("facebook", "instagram") or fields.get(flag) not in ("true", "false"):
            return _json(invalid(platform if platform in pf.LIMITS else "facebook",
                                 f"{flag} must be true or false"))  # fmt: skip
        op = "hide" if fields[flag] == "true" else "unhide"
        return await sb.moderate(request, platform, op, node)

    @app.delete("/{platform}/{version}/{node}")
    async def graph_delete(request: Request, platform: str, version: str, node: str) -> Response:  # noqa: ARG001 - the path parameter FastAPI matches
        if platform not in ("facebook", "instagram"):
            return _json(invalid("facebook", "unknown endpoint"))
        return await sb.moderate(request, platform, "delete", node)

    @app.post("/google/youtube/v3/comments")
    async def yt_insert(request: Request) -> Response:
        query = dict(request.query_params)
        return await sb.reply(request, "youtube", lambda raw: pf.youtube(raw, query))

    @app.post("/google/youtube/v3/comments/setModerationStatus")
    async def yt_moderate(request: Request) -> Response:
        status = request.query_params.get("moderationStatus")
        target = request.query_params.get("id", "")
        if status not in ("heldForReview", "published", "rejected") or not target:
            return _json(invalid("youtube", "id and a valid moderationStatus are required"))
        op = "unhide" if status == "published" else "hide"
        return await sb.moderate(request, "youtube", op, target)

    @app.delete("/google/youtube/v3/comments")
    async def yt_delete(request: Request) -> Response:
        target = request.query_params.get("id", "")
        if not target:
            return _json(invalid("youtube", "id is required"))
        return await sb.moderate(request, "youtube", "delete", target)

    @app.post("/linkedin/rest/socialActions/{target}/comments")
    async def li_comment(request: Request, target: str) -> Response:
        headers = dict(request.headers)
        return await sb.reply(request, "linkedin", lambda raw: pf.linkedin(raw, target, headers))

    @app.post("/flickr/services/rest/")
    async def flickr_rest(request: Request) -> Response:
        return await sb.reply(request, "flickr", lambda raw: pf.flickr(pf.form(raw)))


def _control_routes(app: FastAPI, sb: Sandbox) -> None:
    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/_sandbox/requests")
    async def requests(platform: str | None = None) -> list[dict[str, Any]]:
        return sb.state.requests(platform)

    @app.delete("/_sandbox/requests")
    async def reset() -> dict[str, str]:
        sb.state.reset()
        return {"status": "reset"}

    @app.get("/_sandbox/posts")
    async def posts(platform: str | None = None) -> list[dict[str, Any]]:
        with sb.state.lock:
            found = [p for p in sb.state.posts if platform in (None, p.platform)]
        return [{"platform": p.platform, "post_id": p.post_id, "in_reply_to": p.in_reply_to,
                 "text": p.text, "seq": p.seq} for p in found]  # fmt: skip

    @app.post("/_sandbox/faults", status_code=201)
    async def add_fault(fault: Fault) -> dict[str, Any]:
        with sb.state.lock:
            sb.state.faults.append(fault)
        return fault.model_dump()

    @app.delete("/_sandbox/faults")
    async def clear_faults() -> dict[str, str]:
        with sb.state.lock:
            sb.state.faults.clear()
        return {"status": "cleared"}

    @app.get("/_sandbox/p/{platform}/{post_id}", response_class=HTMLResponse)
    async def permalink(platform: str, post_id: str) -> HTMLResponse:
        with sb.state.lock:
            post = next((p for p in sb.state.posts
                         if p.platform == platform and p.post_id == post_id), None)  # fmt: skip
        if post is None:
            return HTMLResponse("<p>No such post in the sandbox.</p>", status_code=404)
        return HTMLResponse(
            f"<h1>Sandbox {html.escape(platform)} reply {html.escape(post_id)}</h1>"
            f"<p>In reply to {html.escape(post.in_reply_to)}:</p><blockquote>"
            f"{html.escape(post.text)}</blockquote><p>Switchboard's own platform sandbox, "
            "not the platform.</p>"
        )
