"""A small fake of the platforms' read APIs, for poller tests (unit and integration).

It keeps per-platform lists of items and answers the requests the pollers make, paging as
the platforms do: X mentions newest first with since_id and pagination_token; LinkedIn
comments oldest first with start/count; YouTube commentThreads newest first with
pageToken; Facebook feed and Instagram media with their comments. `down` makes every
request fail with 503 (an outage); `rate_limited` answers 429 with X's rate-limit headers.

`transport()` serves it in-process (httpx.MockTransport); `serve()` on a real loopback
socket for the integration tests.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

Json = dict[str, Any]


def _iso_z(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="milliseconds")[:-6] + "Z"


def _meta(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


@dataclass
class FakePlatform:
    """Items per platform; every list is kept oldest first."""

    page_size: int = 2
    x_user: str = "2244994945"
    tweets: list[tuple[int, str, datetime]] = field(default_factory=list)
    linkedin: list[tuple[str, str, datetime]] = field(default_factory=list)
    facebook: list[tuple[str, str, datetime]] = field(default_factory=list)
    instagram: list[tuple[str, str, datetime]] = field(default_factory=list)
    down: bool = False
    rate_limited: bool = False
    forget_tokens: bool = False  # answer 400 to any page token, as an expired one would be
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def handle(self, path: str, params: dict[str, str]) -> tuple[int, Json, dict[str, str]]:
        """Status, JSON body and headers for a GET (sandbox prefixes accepted and dropped)."""
        for prefix in ("/x/", "/facebook/", "/instagram/", "/google/", "/linkedin/", "/flickr/"):
            if path.startswith(prefix):
                path = path[len(prefix) - 1 :]
                break
        self.requests.append((path, params))
        if self.down:
            return 503, {"error": "unavailable"}, {}
        if self.rate_limited:
            headers = {"x-rate-limit-remaining": "0", "x-rate-limit-reset": "1795000000"}
            return 429, {"title": "Too Many Requests"}, headers
        if self.forget_tokens and params.get("pagination_token"):
            return 400, {"title": "Invalid Request", "detail": "pagination_token expired"}, {}
        if path.startswith("/2/users/") and path.endswith("/mentions"):
            return 200, self._x(params), {"x-rate-limit-remaining": "449"}
        if path.startswith("/rest/socialActions/"):
            return 200, self._linkedin(params), {}
        if path.endswith("/feed"):
            return 200, self._facebook(), {}
        if path.endswith("/media"):
            return 200, self._instagram(), {}
        return 404, {"error": f"no route {path}"}, {}

    def _x(self, params: dict[str, str]) -> Json:
        since = int(params.get("since_id", "0"))
        newest_first = [t for t in reversed(self.tweets) if t[0] > since]
        start = int(params.get("pagination_token", "0"))
        page = newest_first[start : start + self.page_size]
        meta: Json = {"result_count": len(page)}
        if start + self.page_size < len(newest_first):
            meta["next_token"] = str(start + self.page_size)
        data = [
            {
                "id": str(tid),
                "text": f"@HEE_KSS {text}",
                "author_id": "99",
                "created_at": _iso_z(at),
                "edit_history_tweet_ids": [str(tid)],
                "entities": {"mentions": [{"username": "HEE_KSS", "id": self.x_user}]},
            }
            for tid, text, at in page
        ]
        body: Json = {"meta": meta, "includes": {"users": [{"id": "99", "username": "fan"}]}}
        return {**body, "data": data} if data else body

    def _linkedin(self, params: dict[str, str]) -> Json:
        start, count = int(params.get("start", "0")), int(params.get("count", "10"))
        page = self.linkedin[start : start + count]
        elements = [
            {
                "actor": f"urn:li:person:p{cid}",
                "created": {"time": int(at.timestamp() * 1000)},
                "lastModified": {"time": int(at.timestamp() * 1000)},
                "id": cid,
                "message": {"text": text},
                "object": "urn:li:activity:42",
            }
            for cid, text, at in page
        ]
        paging = {"start": start, "count": count, "total": len(self.linkedin)}
        return {"paging": paging, "elements": elements}

    def _facebook(self) -> Json:
        comments = [
            {
                "id": f"1_{cid}",
                "message": text,
                "from": {"id": f"u{cid}"},
                "created_time": _meta(at),
            }
            for cid, text, at in reversed(self.facebook)
        ]
        post = {"id": "107654321_1", "permalink_url": "https://www.facebook.com/nhshee/posts/1"}
        return {"data": [{**post, "comments": {"data": comments}}]}

    def _instagram(self) -> Json:
        comments = [
            {"id": cid, "text": text, "timestamp": _meta(at), "username": f"fan{cid}"}
            for cid, text, at in reversed(self.instagram)
        ]
        return {"data": [{"id": "1789", "comments": {"data": comments}}]}

    def transport(self) -> httpx.MockTransport:
        """Serve in-process."""

        def respond(request: httpx.Request) -> httpx.Response:
            status, body, headers = self.handle(request.url.path, dict(request.url.params))
            return httpx.Response(status, json=body, headers=headers)

        return httpx.MockTransport(respond)

    @contextmanager
    def serve(self) -> Iterator[str]:
        """Serve on 127.0.0.1 (an ephemeral port); yields the base URL."""
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                url = urlsplit(self.path)
                params = {k: v[0] for k, v in parse_qs(url.query).items()}
                status, body, headers = fake.handle(url.path, params)
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: ARG002 - BaseHTTPRequestHandler signature
                return

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)
