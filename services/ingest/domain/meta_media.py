"""Attachments of Facebook and Instagram items as MediaRef URLs.

Page webhooks name attachments as plain URL fields (`photo`, `photos`, `video`, `link`);
Graph API comment objects carry one `attachment` (type, media.image.src, media.source, url).
URLs that are not http(s) or are too long are left out rather than refusing the item.
"""

from __future__ import annotations

from typing import Any

from schemas import MediaRef
from services.ingest.domain.fields import sub, sub_list

_MAX_URL = 2000
_MAX_MEDIA = 50


def _ref(kind: str, url: Any) -> MediaRef | None:
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        return None
    if len(url) > _MAX_URL:
        return None
    return MediaRef.model_validate({"type": kind, "url": url})


def _unique(refs: list[MediaRef | None]) -> list[MediaRef]:
    seen: dict[str, MediaRef] = {}
    for ref in refs:
        if ref is not None:
            seen.setdefault(ref.url, ref)
    return list(seen.values())[:_MAX_MEDIA]


def webhook_media(value: dict[str, Any]) -> list[MediaRef]:
    """Attachments of a Page `feed` change value."""
    item = value.get("item")
    link_kind = "photo" if item == "photo" else "video" if item == "video" else "link"
    photos = sub_list(value, "photos")
    return _unique(
        [
            _ref("photo", value.get("photo")),
            *(_ref("photo", p) for p in photos),
            _ref("video", value.get("video")),
            _ref(link_kind, value.get("link")),
        ]
    )


def graph_attachment(attachment: Any) -> list[MediaRef]:
    """The one attachment of a Graph API comment (fields=attachment)."""
    if not isinstance(attachment, dict):
        return []
    kind = str(attachment.get("type") or "")
    media = sub(attachment, "media")
    image = sub(media, "image")
    if kind.startswith("video"):
        return _unique([_ref("video", media.get("source") or attachment.get("url"))])
    if kind in ("photo", "sticker", "animated_image_share", "animated_image_autoplay"):
        return _unique([_ref("photo", image.get("src") or attachment.get("url"))])
    if kind == "share":
        return _unique([_ref("link", attachment.get("url"))])
    return _unique([_ref("other", attachment.get("url") or image.get("src"))])
