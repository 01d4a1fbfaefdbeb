"""Platform answers, classified: posted (with id and permalink) or refused (why, retry?).

Each platform reports errors its own way (X problem documents, Graph API error codes,
Google error reasons, LinkedIn service codes, Flickr `stat: fail` codes behind HTTP 200);
this module maps them all onto FailureClass, so a person sees one vocabulary.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from schemas.enums import Platform
from schemas.work import FailureClass
from services.publisher.domain.model import Answer, Posted, Refused, ReplyTarget, Result

_F = FailureClass
_MAX_ERROR = 1500
_META_RATE = frozenset({4, 17, 32, 613, *range(80001, 80015)})
_YT_TRANSIENT_RATE = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})
_YT: dict[str, FailureClass] = {
    "quotaExceeded": _F.RATE_LIMITED,
    "authError": _F.AUTH,
    "forbidden": _F.PERMISSION,
    "insufficientPermissions": _F.PERMISSION,
    "ineligibleAccount": _F.PERMISSION,
    "parentCommentIsPrivate": _F.PERMISSION,
    "commentNotFound": _F.GONE,
    "parentCommentNotFound": _F.GONE,
    "videoNotFound": _F.GONE,
}
_FLICKR: dict[int, FailureClass] = {1: _F.GONE, 2: _F.GONE, 96: _F.AUTH, 97: _F.AUTH,
                                    98: _F.AUTH, 100: _F.AUTH, 99: _F.PERMISSION}  # fmt: skip


def _short(text: object) -> str:
    s = " ".join(str(text).split())
    return (s[:_MAX_ERROR] + "...") if len(s) > _MAX_ERROR else (s or "no detail")


def _by_status(status: int, message: str, retry_after_s: float | None) -> Refused:
    """The HTTP status alone, for answers without a recognisable platform error."""
    if status == 429:
        return Refused(_F.RATE_LIMITED, message, True, True, retry_after_s)
    if status >= 500 or status == 408:
        return Refused(_F.UNAVAILABLE, message, True, True, retry_after_s)
    if status == 401:
        return Refused(_F.AUTH, message, False)
    if status == 403:
        return Refused(_F.PERMISSION, message, False)
    if status in (404, 410):
        return Refused(_F.GONE, message, False)
    return Refused(_F.INVALID, message, False)


def _dict(body: Any, key: str) -> dict[str, Any]:
    value = body.get(key) if isinstance(body, dict) else None
    return value if isinstance(value, dict) else {}


def refusal(platform: Platform, answer: Answer, *, retry_after_s: float | None) -> Refused | None:
    """The classified refusal in `answer`, or None when the platform accepted the request."""
    body, status = answer.body, answer.status
    if platform is Platform.FLICKR and status == 200:
        return _flickr(body) if isinstance(body, dict) and body.get("stat") != "ok" else None
    if 200 <= status < 300:
        return None
    prefix = f"{platform.value} HTTP {status}"
    match platform:
        case Platform.TWITTER:
            return _x(status, body, prefix, retry_after_s)
        case Platform.FACEBOOK | Platform.INSTAGRAM:
            return _meta(status, body, prefix, retry_after_s)
        case Platform.YOUTUBE:
            return _youtube(status, body, prefix, retry_after_s)
        case Platform.LINKEDIN:
            msg = _dict({"e": body}, "e").get("message") or body
            refused = _by_status(status, f"{prefix}: {_short(msg)}", retry_after_s)
            if status in (409, 422) and "duplicate" in str(msg).lower():
                return Refused(_F.INVALID, refused.error, False, duplicate=True)
            return refused
        case _:
            return _by_status(status, f"{prefix}: {_short(body)}", retry_after_s)


def _x(status: int, body: Any, prefix: str, retry_after_s: float | None) -> Refused:
    detail = _dict({"b": body}, "b").get("detail") or _x_errors(body) or body
    text = f"{prefix}: {_short(detail)}"
    lowered = str(detail).lower()
    if status == 403 and "duplicate" in lowered:
        return Refused(_F.INVALID, text, False, duplicate=True)
    if status == 403 and ("deleted" in lowered or "not visible" in lowered):
        return Refused(_F.GONE, text, False)
    return _by_status(status, text, retry_after_s)


def _x_errors(body: Any) -> str | None:
    errors = body.get("errors") if isinstance(body, dict) else None
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        return str(errors[0].get("message") or errors[0].get("detail") or "")
    return None


def _meta(status: int, body: Any, prefix: str, retry_after_s: float | None) -> Refused:
    err = _dict(body, "error")
    code, sub = err.get("code"), err.get("error_subcode")
    text = f"{prefix}: {_short(err.get('message') or body)}"
    if isinstance(code, int):
        text += f" (code {code}{f', subcode {sub}' if sub else ''})"
    if code in (190, 102):
        return Refused(_F.AUTH, text, False)
    if code == 10 or (isinstance(code, int) and 200 <= code <= 299) or code == 368:
        return Refused(_F.PERMISSION, text, False)
    if code in _META_RATE:
        return Refused(_F.RATE_LIMITED, text, True, True, retry_after_s)
    if code in (1, 2) or err.get("is_transient") is True:
        return Refused(_F.UNAVAILABLE, text, True, True, retry_after_s)
    if code == 100 and sub == 33:
        return Refused(_F.GONE, text, False)
    if code == 506:
        return Refused(_F.INVALID, text, False, duplicate=True)
    if isinstance(code, int) and status < 500:
        return Refused(_F.INVALID, text, False)
    return _by_status(status, text, retry_after_s)


def _youtube(status: int, body: Any, prefix: str, retry_after_s: float | None) -> Refused:
    err = _dict(body, "error")
    errors = err.get("errors")
    first = errors[0] if isinstance(errors, list) and errors and isinstance(errors[0], dict) else {}
    reason = str(first.get("reason") or "")
    text = f"{prefix}: {_short(err.get('message') or body)}" + (f" ({reason})" if reason else "")
    if reason in _YT_TRANSIENT_RATE:
        return Refused(_F.RATE_LIMITED, text, True, True, retry_after_s)
    if reason == "quotaExceeded":  # the daily quota: no use retrying before it resets
        return Refused(_F.RATE_LIMITED, text, True, False)
    if reason in _YT:
        return Refused(_YT[reason], text, False)
    return _by_status(status, text, retry_after_s)


def _flickr(body: dict[str, Any]) -> Refused:
    code = body.get("code")
    text = f"flickr error {code}: {_short(body.get('message'))}"
    if code == 9:
        return Refused(_F.RATE_LIMITED, text, True, True)
    if code in (105, 106):
        return Refused(_F.UNAVAILABLE, text, True, True)
    if isinstance(code, int) and code in _FLICKR:
        return Refused(_FLICKR[code], text, False)
    return Refused(_F.INVALID, text, False)


def posted(target: ReplyTarget, answer: Answer, *, permalink_base: str | None = None) -> Result:
    """The posted reply's id and link, from an accepted answer."""
    platform, body = target.platform, answer.body
    pid: object = None
    match platform:
        case Platform.TWITTER:
            pid = _dict(body, "data").get("id")
        case Platform.FACEBOOK | Platform.INSTAGRAM | Platform.YOUTUBE:
            pid = body.get("id") if isinstance(body, dict) else None
        case Platform.LINKEDIN:
            found = body.get("commentUrn") or body.get("$URN") if isinstance(body, dict) else None
            pid = found or answer.headers.get("x-restli-id") or answer.headers.get("x-linkedin-id")
        case Platform.FLICKR:
            pid = _dict(body, "comment").get("id")
    if not isinstance(pid, str | int) or not str(pid):
        # Accepted, yet no id: the post probably exists, so this must not be retried.
        return Refused(_F.UNAVAILABLE, f"{platform.value} accepted without an id: "
                       f"{_short(body)}", False)  # fmt: skip
    pid = str(pid)
    if permalink_base:
        return Posted(pid, f"{permalink_base.rstrip('/')}/{platform.value}/{quote(pid, safe='')}")
    return Posted(pid, real_permalink(target, pid, body))


def real_permalink(target: ReplyTarget, pid: str, body: Any) -> str | None:
    """A link to the posted reply on the platform, where its id is enough to build one."""
    match target.platform:
        case Platform.TWITTER:
            return f"https://x.com/i/web/status/{pid}"
        case Platform.FACEBOOK:
            return f"https://www.facebook.com/{pid}"
        case Platform.YOUTUBE:
            video = _dict(body, "snippet").get("videoId")
            return f"https://www.youtube.com/watch?v={video}&lc={pid}" if video else None
        case Platform.LINKEDIN:
            return f"https://www.linkedin.com/feed/?commentUrn={quote(pid, safe='')}"
        case Platform.FLICKR:
            seq = pid.rsplit("-", 1)[-1]
            photo = target.thread_id or (pid.split("-")[1] if pid.count("-") == 2 else "")
            return f"https://www.flickr.com/photo.gne?id={photo}#comment{seq}" if photo else None
    return None  # Instagram replies have no public link of their own
