"""One adapter per polled platform: how to ask for a page, and how the cursor moves.

Time-based cursors (YouTube, Flickr, LinkedIn) hold the newest item time seen, ISO 8601;
X holds the newest tweet id (since_id). Items at or before the cursor are not produced again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from urllib.parse import quote, urlsplit

from pydantic import SecretStr

from schemas import InboxItem, Platform
from services.ingest.domain.fields import sub
from services.ingest.pollers.state import PollState
from services.ingest.settings import IngestSettings, PollTarget


@dataclass(frozen=True)
class Request:
    """One GET: where, with which query parameters and headers."""

    url: str
    params: dict[str, str]
    headers: dict[str, str]


class Adapter(Protocol):
    """What the runner needs from a platform."""

    platform: Platform

    def request(self, target: PollTarget, cursor: str | None, page: str | None) -> Request:
        """The request for one page."""

    def next_page(self, raw: Any) -> str | None:
        """The next page token, or None on the last page."""

    def is_new(self, item: InboxItem, cursor: str | None) -> bool:
        """Whether an item is past the cursor (so not produced by an earlier poll)."""

    def advance(self, cursor: str | None, raw: Any, items: list[InboxItem]) -> str | None:
        """The cursor after this page."""

    def reached(self, cursor: str | None, items: list[InboxItem]) -> bool:
        """True when this page already reaches back to the cursor: stop paging."""

    def resume_page(self, state: PollState) -> str | None:
        """The page a round starts on: an open backlog's next page, else the first."""

    def resume_offset(self, page: str | None, raw: Any) -> str | None:
        """For oldest-first lists, where the next round starts; None for newest-first."""


class _Paging:
    """Newest-first paging: a round starts on the first page unless a backlog is open."""

    def resume_page(self, state: PollState) -> str | None:
        """The page a round starts on."""
        return state.page

    def resume_offset(self, page: str | None, raw: Any) -> str | None:  # noqa: ARG002 - the Adapter protocol signature
        """Newest-first lists always start again at the top."""
        return None


def _secret(value: SecretStr | None) -> str:
    return value.get_secret_value() if value is not None else ""


def bearer(token: str) -> dict[str, str]:
    """The Authorization header, or none when no token is configured (the platform says 401)."""
    return {"Authorization": f"Bearer {token}"} if token else {}


# Where services/sandbox serves each platform's API: <sandbox>/<prefix><the platform's path>.
SANDBOX_PREFIX = {
    Platform.TWITTER: "/x",
    Platform.FACEBOOK: "/facebook",
    Platform.INSTAGRAM: "/instagram",
    Platform.YOUTUBE: "/google",
    Platform.LINKEDIN: "/linkedin",
    Platform.FLICKR: "/flickr",
}


def rebase(url: str, sandbox: str | None, platform: Platform) -> str:
    """The platform URL, or its counterpart in the sandbox when one is configured."""
    if not sandbox:
        return url
    parts = urlsplit(url)
    path = f"{SANDBOX_PREFIX[platform]}{parts.path}"
    return f"{sandbox.rstrip('/')}{path}" + (f"?{parts.query}" if parts.query else "")


class _ByTime(_Paging):
    """Cursor = the newest occurred_at seen."""

    def is_new(self, item: InboxItem, cursor: str | None) -> bool:
        """Whether the item is past the cursor."""
        return cursor is None or item.occurred_at > datetime.fromisoformat(cursor)

    def advance(self, cursor: str | None, raw: Any, items: list[InboxItem]) -> str | None:  # noqa: ARG002 - the Adapter protocol signature
        """The cursor after this page."""
        times = [i.occurred_at for i in items]
        if cursor is not None:
            times.append(datetime.fromisoformat(cursor))
        return max(times).isoformat() if times else None

    def reached(self, cursor: str | None, items: list[InboxItem]) -> bool:
        """Whether paging can stop here."""
        return cursor is not None and any(not self.is_new(i, cursor) for i in items)


class YouTubeAdapter(_ByTime):
    """commentThreads.list?allThreadsRelatedToChannelId=...&order=time (newest first)."""

    platform = Platform.YOUTUBE
    url = "https://www.googleapis.com/youtube/v3/commentThreads"

    def __init__(self, settings: IngestSettings) -> None:
        self._key = _secret(settings.youtube_api_key)
        self.url = rebase(type(self).url, settings.sandbox_url, self.platform)

    def request(self, target: PollTarget, cursor: str | None, page: str | None) -> Request:  # noqa: ARG002 - the Adapter protocol signature
        """The request for one page."""
        params = {
            "part": "snippet,replies",
            "allThreadsRelatedToChannelId": target.target,
            "order": "time",
            "maxResults": "100",
            "textFormat": "plainText",
        }
        if page:
            params["pageToken"] = page
        return Request(self.url, params, {"X-goog-api-key": self._key})

    def next_page(self, raw: Any) -> str | None:
        """The next page token, or None on the last page."""
        return raw.get("nextPageToken") if isinstance(raw, dict) else None


class FlickrAdapter(_ByTime):
    """flickr.photos.comments.getList for one photo, from the cursor's date on."""

    platform = Platform.FLICKR
    url = "https://api.flickr.com/services/rest/"

    def __init__(self, settings: IngestSettings) -> None:
        self._key = _secret(settings.flickr_api_key)
        self.url = rebase(type(self).url, settings.sandbox_url, self.platform)

    def request(self, target: PollTarget, cursor: str | None, page: str | None) -> Request:  # noqa: ARG002 - the Adapter protocol signature
        """The request for one page."""
        params = {
            "method": "flickr.photos.comments.getList",
            "api_key": self._key,
            "photo_id": target.target,
            "format": "json",
            "nojsoncallback": "1",
        }
        if cursor:
            params["min_comment_date"] = str(int(datetime.fromisoformat(cursor).timestamp()))
        return Request(self.url, params, {})

    def next_page(self, raw: Any) -> str | None:  # noqa: ARG002 - the Adapter protocol signature
        """The next page token, or None on the last page."""
        return None  # getList returns every comment in one response


class LinkedInAdapter(_ByTime):
    """GET /rest/socialActions/{post urn}/comments, paged with start/count."""

    platform = Platform.LINKEDIN
    url = "https://api.linkedin.com/rest/socialActions/{urn}/comments"
    page_size = 50

    def __init__(self, settings: IngestSettings) -> None:
        self._token = _secret(settings.linkedin_token)
        self.url = rebase(type(self).url, settings.sandbox_url, self.platform)

    def request(self, target: PollTarget, cursor: str | None, page: str | None) -> Request:  # noqa: ARG002 - the Adapter protocol signature
        """The request for one page."""
        headers = {
            **bearer(self._token),
            "LinkedIn-Version": "202406",
            "X-Restli-Protocol-Version": "2.0.0",
        }
        params = {"start": page or "0", "count": str(self.page_size)}
        return Request(self.url.format(urn=quote(target.target, safe="")), params, headers)

    def next_page(self, raw: Any) -> str | None:
        """The next page token, or None on the last page."""
        paging = raw.get("paging") if isinstance(raw, dict) else None
        if not isinstance(paging, dict):
            return None
        start, count = int(paging.get("start", 0)), int(paging.get("count", self.page_size))
        total = paging.get("total")
        seen = start + len(raw.get("elements") or [])
        return str(start + count) if isinstance(total, int) and seen < total else None

    def reached(self, cursor: str | None, items: list[InboxItem]) -> bool:  # noqa: ARG002 - the Adapter protocol signature
        """Whether paging can stop here."""
        return False  # comments come oldest first: the list is read to its end

    def resume_page(self, state: PollState) -> str | None:
        """An open backlog's next page, else the offset the last round ended near."""
        return state.page or state.offset

    def resume_offset(self, page: str | None, raw: Any) -> str | None:
        """One page back from the end seen.

        Comments deleted meanwhile shift later ones to lower offsets; starting a page early
        means they cannot hide a new comment from the next round.
        """
        if not isinstance(raw, dict):
            return page
        paging = sub(raw, "paging")
        start = int(paging.get("start", page or 0))
        seen = start + len(raw.get("elements") or [])
        return str(max(0, seen - self.page_size))


class XMentionsAdapter(_Paging):
    """GET /2/users/:id/mentions with since_id = the newest tweet id already ingested."""

    platform = Platform.TWITTER
    url = "https://api.twitter.com/2/users/{user_id}/mentions"

    def __init__(self, settings: IngestSettings) -> None:
        self._token = _secret(settings.x_bearer_token)
        self.url = rebase(type(self).url, settings.sandbox_url, self.platform)

    def request(self, target: PollTarget, cursor: str | None, page: str | None) -> Request:
        """The request for one page."""
        params = {
            "max_results": "100",
            "expansions": "author_id",
            "tweet.fields": "created_at,conversation_id,in_reply_to_user_id,"
            "referenced_tweets,entities,edit_history_tweet_ids,note_tweet",
            "user.fields": "username,name",
        }
        if cursor:
            params["since_id"] = cursor
        if page:
            params["pagination_token"] = page
        headers = bearer(self._token)
        return Request(self.url.format(user_id=target.target), params, headers)

    def next_page(self, raw: Any) -> str | None:
        """The next page token, or None on the last page."""
        meta = raw.get("meta") if isinstance(raw, dict) else None
        return meta.get("next_token") if isinstance(meta, dict) else None

    def is_new(self, item: InboxItem, cursor: str | None) -> bool:
        """Whether the item is past the cursor."""
        return cursor is None or int(item.platform_item_id) > int(cursor)

    def advance(self, cursor: str | None, raw: Any, items: list[InboxItem]) -> str | None:  # noqa: ARG002 - the Adapter protocol signature
        """The cursor after this page."""
        ids = [int(i.platform_item_id) for i in items]
        if cursor is not None:
            ids.append(int(cursor))
        return str(max(ids)) if ids else cursor

    def reached(self, cursor: str | None, items: list[InboxItem]) -> bool:  # noqa: ARG002 - the Adapter protocol signature
        """Whether paging can stop here."""
        return False  # since_id already limits the pages to new tweets


def adapters(settings: IngestSettings) -> dict[Platform, Adapter]:
    """Every adapter, configured from settings."""
    from services.ingest.pollers.meta import FacebookBackfillAdapter, InstagramBackfillAdapter

    return {
        Platform.FACEBOOK: FacebookBackfillAdapter(settings),
        Platform.INSTAGRAM: InstagramBackfillAdapter(settings),
        Platform.YOUTUBE: YouTubeAdapter(settings),
        Platform.FLICKR: FlickrAdapter(settings),
        Platform.LINKEDIN: LinkedInAdapter(settings),
        Platform.TWITTER: XMentionsAdapter(settings),
    }
