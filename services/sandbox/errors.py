"""Each platform's documented error answers, in its own shape."""

from __future__ import annotations

import json
from typing import Any

Answer = tuple[int, dict[str, str], Any]


def _x(status: int, title: str, detail: str) -> Answer:
    return status, {}, {"title": title, "detail": detail, "type": "about:blank", "status": status}


def _graph(status: int, code: int, message: str, subcode: int | None = None) -> Answer:
    error: dict[str, Any] = {
        "message": message,
        "type": "OAuthException",
        "code": code,
        "fbtrace_id": "SandboxTrace",
    }
    if subcode is not None:
        error["error_subcode"] = subcode
    return status, {}, {"error": error}


def _google(status: int, reason: str, message: str) -> Answer:
    return (
        status,
        {},
        {
            "error": {
                "code": status,
                "message": message,
                "errors": [{"message": message, "domain": "youtube.comment", "reason": reason}],
            }
        },
    )


def _linkedin(status: int, code: str, service_code: int, message: str) -> Answer:
    body = {"status": status, "serviceErrorCode": service_code, "code": code, "message": message}
    return status, {}, body


def _flickr(code: int, message: str) -> Answer:
    return 200, {}, {"stat": "fail", "code": code, "message": message}


def invalid(platform: str, message: str) -> Answer:
    """The platform's answer to a malformed request."""
    match platform:
        case "twitter":
            return _x(400, "Invalid Request", message)
        case "facebook" | "instagram":
            return _graph(400, 100, f"(#100) {message}")
        case "youtube":
            return _google(400, "invalidCommentMetadata", message)
        case "linkedin":
            return _linkedin(422, "UNPROCESSABLE_ENTITY", 100, message)
    return _flickr(8 if "comment" in message.lower() else 1, message)


def unauthorised(platform: str, message: str) -> Answer:
    """The answer to a missing or malformed credential."""
    match platform:
        case "twitter":
            return _x(401, "Unauthorized", message)
        case "facebook" | "instagram":
            return _graph(400, 190, f"Invalid OAuth access token - {message}")
        case "youtube":
            return _google(401, "authError", message)
        case "linkedin":
            return _linkedin(401, "INVALID_ACCESS_TOKEN", 65600, message)
    return _flickr(98 if "token" in message else 96, message)


def fault_answer(platform: str, kind: str, *, retry_after_s: int, now_epoch: int) -> Answer:
    """The answer a fault asks for (auth, permission, gone, server, throttle)."""
    table: dict[str, dict[str, Answer]] = {
        "auth": {
            "twitter": _x(401, "Unauthorized", "Unauthorized"),
            "facebook": _graph(
                400, 190, "Error validating access token: Session has expired.", 463
            ),
            "youtube": _google(401, "authError", "Invalid Credentials"),
            "linkedin": _linkedin(
                401, "EXPIRED_ACCESS_TOKEN", 65601, "The token used in the request has expired"
            ),
            "flickr": _flickr(98, "Invalid auth token"),
        },
        "permission": {
            "twitter": _x(403, "Forbidden", "You are not permitted to perform this action."),
            "facebook": _graph(403, 200, "(#200) Permissions error"),
            "youtube": _google(403, "insufficientPermissions", "Insufficient Permission"),
            "linkedin": _linkedin(
                403,
                "ACCESS_DENIED",
                100,
                "Not enough permissions to access: partnerApiSocialActions.CREATE",
            ),
            "flickr": _flickr(99, "Insufficient permissions. Method requires write privileges"),
        },
        "gone": {
            "twitter": _x(
                403,
                "Forbidden",
                "You attempted to reply to a Tweet that is deleted or not visible to you.",
            ),
            "facebook": _graph(
                400,
                100,
                "Unsupported post request. Object with ID does not "
                "exist, cannot be loaded due to missing permissions, or does not "
                "support this operation",
                33,
            ),
            "youtube": _google(404, "parentCommentNotFound", "The parent comment was not found."),
            "linkedin": _linkedin(404, "NOT_FOUND", 404, "Comment not found"),
            "flickr": _flickr(1, "Photo not found"),
        },
        "server": {
            "twitter": _x(503, "Service Unavailable", "Service Unavailable"),
            "facebook": _graph(500, 2, "Service temporarily unavailable"),
            "youtube": _google(503, "backendError", "Backend Error"),
            "linkedin": _linkedin(503, "SERVICE_UNAVAILABLE", 503, "Service unavailable"),
            "flickr": _flickr(105, "Service currently unavailable"),
        },
    }
    table["auth"]["instagram"] = table["auth"]["facebook"]
    table["permission"]["instagram"] = table["permission"]["facebook"]
    table["gone"]["instagram"] = table["gone"]["facebook"]
    table["server"]["instagram"] = table["server"]["facebook"]
    if kind != "throttle":
        return table[kind][platform]
    return _throttle(platform, retry_after_s=retry_after_s, now_epoch=now_epoch)


def _throttle(platform: str, *, retry_after_s: int, now_epoch: int) -> Answer:
    match platform:
        case "twitter":
            status, _, body = _x(429, "Too Many Requests", "Too Many Requests")
            reset = str(now_epoch + retry_after_s)
            headers = {
                "x-rate-limit-limit": "100",
                "x-rate-limit-remaining": "0",
                "x-rate-limit-reset": reset,
            }
            return status, headers, body
        case "facebook" | "instagram":
            usage = {
                "call_count": 100,
                "total_cputime": 20,
                "total_time": 30,
                "type": "pages",
                "estimated_time_to_regain_access": 0,
            }
            headers = {
                "x-business-use-case-usage": json.dumps({"1000001": [usage]}),
                "x-app-usage": json.dumps(
                    {"call_count": 100, "total_cputime": 10, "total_time": 10}
                ),
            }
            status, _, body = _graph(
                400,
                80001,
                "There have been too many calls to this Page account. Wait a bit and try again.",
            )
            return status, headers, body
        case "youtube":
            return _google(403, "rateLimitExceeded", "Rate Limit Exceeded")
        case "linkedin":
            status, _, body = _linkedin(
                429, "TOO_MANY_REQUESTS", 429, "Resource level throttle limit reached"
            )
            return status, {"retry-after": str(retry_after_s)}, body
    return _flickr(9, "User is posting comments too fast.")
