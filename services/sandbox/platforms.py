"""Request validation per endpoint, as each platform documents it, and its success answers."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote

from services.sandbox.errors import Answer, invalid

_GRAPH_VERSION = re.compile(r"^v\d{1,2}\.\d$")
_GRAPH_ID = re.compile(r"^[0-9_]{1,100}$")
_TWEET_ID = re.compile(r"^\d{1,19}$")
_LI_ACTOR = re.compile(r"^urn:li:(organization|person):[A-Za-z0-9_-]{1,64}$")
_LI_OBJECT = re.compile(r"^urn:li:(activity|share|ugcPost):\d{1,30}$")
_LI_COMMENT = re.compile(r"^urn:li:comment:\((urn:li:(?:activity|share|ugcPost):\d{1,30}),\d+\)$")
LIMITS = {"twitter": 280, "facebook": 8000, "instagram": 2200, "youtube": 10_000,
          "linkedin": 1250, "flickr": 10_000}  # fmt: skip


@dataclass(frozen=True)
class Accepted:
    """A valid reply: what it answers, its text, and how to build the success answer."""

    in_reply_to: str
    text: str
    new_id: Callable[[int], str]
    answer: Callable[[str], Answer]


def form(raw: bytes) -> dict[str, str]:
    """An urlencoded body (last value wins, as the platforms' servers do)."""
    return dict(parse_qsl(raw.decode("utf-8", errors="replace"), keep_blank_values=True))


def parse_json(raw: bytes) -> Any:
    """A JSON body, or None when it is not JSON."""
    try:
        return json.loads(raw)
    except ValueError:
        return None


def _text(platform: str, value: object, name: str) -> str | Answer:
    if not isinstance(value, str) or not value.strip():
        return invalid(platform, f"{name} is required")
    if len(value) > LIMITS[platform]:
        return invalid(platform, f"{name} is longer than {LIMITS[platform]} characters")
    return value


def twitter(raw: bytes, content_type: str) -> Accepted | Answer:
    """POST /2/tweets: JSON with text and reply.in_reply_to_tweet_id."""
    body = parse_json(raw) if "application/json" in content_type else None
    if not isinstance(body, dict):
        return invalid("twitter", "the body must be a JSON object (Content-Type application/json)")
    text = _text("twitter", body.get("text"), "text")
    if not isinstance(text, str):
        return text
    reply = body.get("reply")
    parent = reply.get("in_reply_to_tweet_id") if isinstance(reply, dict) else None
    if not isinstance(parent, str) or not _TWEET_ID.match(parent):
        return invalid("twitter", "reply.in_reply_to_tweet_id must be a tweet id (digits)")
    return Accepted(parent, text, lambda n: str(1_900_000_000_000_000_000 + n),
                    lambda i: (201, {}, {"data": {"id": i, "text": text,
                                                  "edit_history_tweet_ids": [i]}}))  # fmt: skip


def graph_reply(
    platform: str, version: str, node: str, fields: dict[str, str]
) -> Accepted | Answer:
    """Facebook POST /{comment-id}/comments, Instagram POST /{ig-comment-id}/replies."""
    if not _GRAPH_VERSION.match(version):
        return invalid(platform, f"unknown API version {version}")
    if not _GRAPH_ID.match(node):
        return invalid(platform, f"invalid object id {node}")
    text = _text(platform, fields.get("message"), "message")
    if not isinstance(text, str):
        return text
    if platform == "facebook":
        post = node.split("_", 1)[0]
        return Accepted(node, text, lambda n: f"{post}_{900_000 + n}",
                        lambda i: (200, {}, {"id": i}))  # fmt: skip
    return Accepted(node, text, lambda n: str(17_900_000_000_000_000 + n),
                    lambda i: (200, {}, {"id": i}))  # fmt: skip


def youtube(raw: bytes, query: dict[str, str]) -> Accepted | Answer:
    """comments.insert: part=snippet, snippet.parentId and snippet.textOriginal."""
    if query.get("part") != "snippet":
        return invalid("youtube", "part must be snippet")
    body = parse_json(raw)
    snippet = body.get("snippet") if isinstance(body, dict) else None
    if not isinstance(snippet, dict):
        return invalid("youtube", "the body must be a comment resource with a snippet")
    parent = snippet.get("parentId")
    if not isinstance(parent, str) or not parent or "." in parent:
        return invalid("youtube", "snippet.parentId must be a top-level comment id")
    text = _text("youtube", snippet.get("textOriginal"), "snippet.textOriginal")
    if not isinstance(text, str):
        return text

    def answer(i: str) -> Answer:
        return 200, {}, {"kind": "youtube#comment", "etag": f"sandbox-{i}", "id": i,
                         "snippet": {"parentId": parent, "textOriginal": text,
                                     "textDisplay": text, "videoId": "sandboxVideo1"}}  # fmt: skip

    return Accepted(parent, text, lambda n: f"{parent}.sandbox{n}", answer)


def linkedin(raw: bytes, target: str, headers: dict[str, str]) -> Accepted | Answer:
    """POST /rest/socialActions/{urn}/comments with LinkedIn-Version and an actor."""
    version = headers.get("linkedin-version", "")
    if not re.fullmatch(r"\d{6}", version):
        return 400, {}, {"status": 400, "code": "VERSION_MISSING",
                         "message": "A version must be present. Please specify a version by "
                         "adding the LinkedIn-Version header."}  # fmt: skip
    urn = unquote(target)
    body = parse_json(raw)
    if not isinstance(body, dict):
        return invalid("linkedin", "the body must be a JSON comment")
    actor, obj = body.get("actor"), body.get("object")
    if not isinstance(actor, str) or not _LI_ACTOR.match(actor):
        return invalid("linkedin", "actor must be an organization or person URN")
    nested = _LI_COMMENT.match(urn)
    expected_object = nested.group(1) if nested else urn
    if not _LI_OBJECT.match(expected_object) or obj != expected_object:
        return invalid("linkedin", "object must be the URN of the post commented on")
    if nested and body.get("parentComment") != urn:
        return invalid("linkedin", "parentComment must be the comment URN in the path")
    message = body.get("message")
    text = _text("linkedin", message.get("text") if isinstance(message, dict) else None,
                 "message.text")  # fmt: skip
    if not isinstance(text, str):
        return text

    def answer(comment: str) -> Answer:
        numeric = comment.rsplit(",", 1)[-1].rstrip(")")
        body = {"id": numeric, "commentUrn": comment, "actor": actor, "object": expected_object,
                "message": {"text": text}}  # fmt: skip
        return 201, {"x-restli-id": comment}, body

    def new_id(n: int) -> str:
        return f"urn:li:comment:({expected_object},{7_100_000_000_000_000_000 + n})"

    return Accepted(urn, text, new_id, answer)


def flickr(fields: dict[str, str]) -> Accepted | Answer:
    """flickr.photos.comments.addComment (signed; the signature is checked before this)."""
    if fields.get("method") != "flickr.photos.comments.addComment":
        return 200, {}, {"stat": "fail", "code": 112, "message": "Method not found"}
    if fields.get("format") != "json" or fields.get("nojsoncallback") != "1":
        return 200, {}, {"stat": "fail", "code": 111, "message": "Format not found"}
    photo = fields.get("photo_id", "")
    if not photo.isdigit():
        return invalid("flickr", "Photo not found")
    text = _text("flickr", fields.get("comment_text"), "comment_text")
    if not isinstance(text, str):
        return 200, {}, {"stat": "fail", "code": 8, "message": "Blank comment"}
    return Accepted(photo, text, lambda n: f"10000001-{photo}-{72_157_000_000_000_000 + n}",
                    lambda i: (200, {}, {"comment": {"id": i}, "stat": "ok"}))  # fmt: skip
