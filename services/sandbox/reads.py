"""The platforms' read endpoints the ingest pollers use, over the sandbox's inbound comments.

Each answers in the platform's documented response shape and paging: X mentions newest
first (`since_id`, `pagination_token`), YouTube commentThreads newest first (`pageToken`),
LinkedIn comments oldest first (`start`/`count`), Flickr getList (`min_comment_date`), the
Facebook feed and Instagram media with their `comments` edges. A request without the
platform's credential gets 401. Like the rest of the sandbox, this is our own stand-in.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from services.common.clock import utc_now
from services.sandbox.inbound import Inbound, InboundIn, InboundState

Json = dict[str, Any]


def _iso_z(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _graph_time(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def _int(value: str | None, default: int, low: int, high: int) -> int:
    try:
        return max(low, min(high, int(value))) if value is not None else default
    except ValueError:
        return default


def _unauthorised(request: Request, *, query_key: str | None = None) -> JSONResponse | None:
    if request.headers.get("authorization", "").lower().startswith("bearer "):
        return None
    if query_key and request.query_params.get(query_key):
        return None
    if request.headers.get("x-goog-api-key"):
        return None
    return JSONResponse({"error": "missing credentials (sandbox)"}, status_code=401)


def _tweet(item: Inbound, user_id: str) -> Json:
    handle = item.spec.account.lstrip("@")
    text = item.spec.text if f"@{handle}" in item.spec.text else f"@{handle} {item.spec.text}"
    start = text.index(f"@{handle}")
    mention = {"start": start, "end": start + len(handle) + 1, "username": handle, "id": user_id}
    return {
        "id": item.item_id,
        "text": text,
        "author_id": item.spec.author_id,
        "created_at": _iso_z(item.created_at),
        "conversation_id": item.item_id,
        "edit_history_tweet_ids": [item.item_id],
        "entities": {"mentions": [mention]},
    }


def add_read_routes(app: FastAPI, inbound: InboundState) -> None:  # noqa: C901 - one route each
    """Register the read endpoints and the /_sandbox/inbound controls."""

    @app.post("/_sandbox/inbound", status_code=201)
    async def add_inbound(spec: InboundIn) -> Json:
        item = inbound.add(spec, now=utc_now())
        return {"id": item.item_id, "created_at": item.created_at.isoformat()}

    @app.delete("/_sandbox/inbound")
    async def reset_inbound() -> Json:
        inbound.reset()
        return {"status": "reset"}

    @app.get("/x/2/users/{user_id}/mentions")
    async def x_mentions(request: Request, user_id: str) -> Any:
        if (denied := _unauthorised(request)) is not None:
            return denied
        q = request.query_params
        since = _int(q.get("since_id"), 0, 0, 2**63)
        newest = [i for i in reversed(inbound.listed("twitter", user_id)) if int(i.item_id) > since]
        start, size = (
            _int(q.get("pagination_token"), 0, 0, 10**9),
            _int(q.get("max_results"), 10, 5, 100),
        )
        page = newest[start : start + size]
        meta: Json = {"result_count": len(page)}
        if page:
            meta |= {"newest_id": page[0].item_id, "oldest_id": page[-1].item_id}
        if start + size < len(newest):
            meta["next_token"] = str(start + size)
        users = [
            {"id": i.spec.author_id, "name": i.spec.author_name, "username": i.spec.author_id}
            for i in page
        ]
        body: Json = {"meta": meta}
        if page:
            body |= {"data": [_tweet(i, user_id) for i in page], "includes": {"users": users}}
        headers = {"x-rate-limit-limit": "450", "x-rate-limit-remaining": "449"}
        return JSONResponse(body, headers=headers)

    @app.get("/google/youtube/v3/commentThreads")
    async def yt_threads(request: Request) -> Any:
        if (denied := _unauthorised(request, query_key="key")) is not None:
            return denied
        q = request.query_params
        channel = q.get("allThreadsRelatedToChannelId", "")
        newest = list(reversed(inbound.listed("youtube", channel)))
        start, size = _int(q.get("pageToken"), 0, 0, 10**9), _int(q.get("maxResults"), 20, 1, 100)
        page = newest[start : start + size]
        items = []
        for i in page:
            snippet = {
                "channelId": channel,
                "videoId": "sandboxvideo",
                "textOriginal": i.spec.text,
                "textDisplay": i.spec.text,
                "authorDisplayName": i.spec.author_name,
                "authorChannelId": {"value": i.spec.author_id},
                "publishedAt": _iso_z(i.created_at),
                "updatedAt": _iso_z(i.created_at),
            }
            top = {"kind": "youtube#comment", "id": i.item_id, "snippet": snippet}
            items.append(
                {
                    "kind": "youtube#commentThread",
                    "id": i.item_id,
                    "snippet": {
                        "channelId": channel,
                        "videoId": "sandboxvideo",
                        "topLevelComment": top,
                    },
                }
            )
        body: Json = {"kind": "youtube#commentThreadListResponse", "items": items}
        if start + size < len(newest):
            body["nextPageToken"] = str(start + size)
        return body

    @app.get("/linkedin/rest/socialActions/{urn}/comments")
    async def li_comments(request: Request, urn: str) -> Any:
        if (denied := _unauthorised(request)) is not None:
            return denied
        q = request.query_params
        listed = inbound.listed("linkedin", urn)
        start, count = _int(q.get("start"), 0, 0, 10**9), _int(q.get("count"), 10, 1, 100)
        elements = []
        for i in listed[start : start + count]:
            ms = int(i.created_at.timestamp() * 1000)
            actor = f"urn:li:person:{i.spec.author_id}"
            elements.append(
                {
                    "actor": actor,
                    "commentUrn": f"urn:li:comment:({urn},{i.item_id})",
                    "created": {"actor": actor, "time": ms},
                    "lastModified": {"actor": actor, "time": ms},
                    "id": i.item_id,
                    "message": {"attributes": [], "text": i.spec.text},
                    "object": urn,
                }
            )
        paging = {"start": start, "count": count, "links": [], "total": len(listed)}
        return {"paging": paging, "elements": elements}

    @app.get("/flickr/services/rest/")
    async def flickr_get(request: Request) -> Any:
        q = request.query_params
        if not q.get("api_key"):
            return {"stat": "fail", "code": 100, "message": "Invalid API Key (sandbox)"}
        if q.get("method") != "flickr.photos.comments.getList":
            return {"stat": "fail", "code": 112, "message": "Method not found (sandbox)"}
        photo = q.get("photo_id", "")
        since = _int(q.get("min_comment_date"), 0, 0, 2**40)
        comments = [
            {
                "id": f"{photo}-{i.item_id}",
                "author": i.spec.author_id,
                "authorname": i.spec.author_name,
                "datecreate": str(int(i.created_at.timestamp())),
                "_content": i.spec.text,
                "permalink": f"https://www.flickr.com/photos/{i.spec.account}/{photo}/#comment{i.item_id}",
            }
            for i in inbound.listed("flickr", photo)
            if i.created_at.timestamp() >= since
        ]
        return {"comments": {"photo_id": photo, "comment": comments}, "stat": "ok"}

    @app.get("/facebook/{version}/{page_id}/feed")
    async def fb_feed(request: Request, version: str, page_id: str) -> Any:  # noqa: ARG001 - the path parameter FastAPI matches
        if (denied := _unauthorised(request, query_key="access_token")) is not None:
            return denied
        comments = [
            {
                "id": f"1_{i.item_id}",
                "message": i.spec.text,
                "from": {"id": i.spec.author_id, "name": i.spec.author_name},
                "created_time": _graph_time(i.created_at),
            }
            for i in reversed(inbound.listed("facebook", page_id))
        ]
        post: Json = {
            "id": f"{page_id}_1",
            "permalink_url": f"https://www.facebook.com/{page_id}/posts/1",
        }
        if comments:
            post["comments"] = {"data": comments}
        return {"data": [post]}

    @app.get("/instagram/{version}/{account_id}/media")
    async def ig_media(request: Request, version: str, account_id: str) -> Any:  # noqa: ARG001 - the path parameter FastAPI matches
        if (denied := _unauthorised(request, query_key="access_token")) is not None:
            return denied
        comments = [
            {
                "id": i.item_id,
                "text": i.spec.text,
                "timestamp": _graph_time(i.created_at),
                "username": i.spec.author_name,
                "from": {"id": i.spec.author_id, "username": i.spec.author_name},
            }
            for i in reversed(inbound.listed("instagram", account_id))
        ]
        media: Json = {"id": f"{account_id}01", "permalink": "https://www.instagram.com/p/sandbox/"}
        if comments:
            media["comments"] = {"data": comments}
        return {"data": [media]}
