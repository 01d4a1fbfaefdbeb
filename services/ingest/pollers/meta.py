"""Backfill pollers for Facebook and Instagram: recent posts' and media's comments.

Webhooks are how Meta items normally arrive; these read the same comments through the
Graph API so that an outage of webhooks (ours or Meta's) is recovered. Each round reads the
`backfill_recent` newest posts or media with their comments, newest first, and produces
those newer than the cursor (the newest comment time seen). A comment both delivered by
webhook and read here has the same event id, so the overlap is harmless.

The token travels as an `Authorization: Bearer` header, never in the URL.
"""

from __future__ import annotations

from typing import Any

from schemas import Platform
from services.ingest.pollers.adapters import Request, _ByTime, _secret, bearer, rebase
from services.ingest.settings import IngestSettings, PollTarget

_GRAPH = "https://graph.facebook.com"
_FB_COMMENT_FIELDS = "id,message,from,created_time,parent{id},attachment,permalink_url"
_IG_COMMENT_FIELDS = "id,text,timestamp,username,from,parent_id"


class _GraphBackfill(_ByTime):
    """One page of recent posts (or media) per round: bounded, and enough after an outage."""

    platform: Platform
    edge: str
    fields: str

    def __init__(self, settings: IngestSettings, token: str) -> None:
        self._token = token
        self._limit = str(settings.backfill_recent)
        own = f"{_GRAPH}/{settings.graph_version}/{{id}}/{self.edge}"
        self.url = rebase(own, settings.sandbox_url, self.platform)

    def request(self, target: PollTarget, cursor: str | None, page: str | None) -> Request:  # noqa: ARG002 - the Adapter protocol signature
        """The request for one page."""
        params = {"fields": self.fields, "limit": self._limit}
        if page:
            params["after"] = page
        headers = bearer(self._token)
        return Request(self.url.format(id=target.target), params, headers)

    def next_page(self, raw: Any) -> str | None:  # noqa: ARG002 - the Adapter protocol signature
        """One page of recent posts per round: older posts are not read again."""
        return None


class FacebookBackfillAdapter(_GraphBackfill):
    """GET /{page-id}/feed?fields=id,permalink_url,comments{...}."""

    platform = Platform.FACEBOOK
    edge = "feed"
    fields = (
        f"id,permalink_url,comments.order(reverse_chronological).limit(100){{{_FB_COMMENT_FIELDS}}}"
    )

    def __init__(self, settings: IngestSettings) -> None:
        super().__init__(settings, _secret(settings.facebook_page_token))


class InstagramBackfillAdapter(_GraphBackfill):
    """GET /{ig-user-id}/media?fields=id,comments{...,replies{...}}."""

    platform = Platform.INSTAGRAM
    edge = "media"
    fields = (
        f"id,permalink,comments.limit(50){{{_IG_COMMENT_FIELDS},replies{{{_IG_COMMENT_FIELDS}}}}}"
    )

    def __init__(self, settings: IngestSettings) -> None:
        super().__init__(settings, _secret(settings.instagram_token))
