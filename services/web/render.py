"""Templates and the filters they use; one render helper for every page."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from schemas.guidance import Finding
from services.web.users import WebUser

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"
LONDON = ZoneInfo("Europe/London")

_TAGS = {"open": "nhsuk-tag--blue", "held": "nhsuk-tag--grey", "claimed": "nhsuk-tag--orange",
         "resolved": "nhsuk-tag--green"}  # fmt: skip
_VERDICTS = {"ok": "nhsuk-tag--green", "info": "nhsuk-tag--blue", "warn": "nhsuk-tag--yellow",
             "approval": "nhsuk-tag--orange", "block": "nhsuk-tag--red"}  # fmt: skip


def when(at: datetime | str | None) -> str:
    """An instant as people in the office read it (London time, named)."""
    if at is None or at == "":
        return ""
    if isinstance(at, str):  # an ISO-8601 instant, as in a stored payload
        at = datetime.fromisoformat(at)
    local = at.astimezone(LONDON)
    return f"{local:%a %-d %b %H:%M} ({local.tzname()})"


def age(seconds: float | timedelta | None) -> str:
    """A duration in words: 45 s, 12 min, 3 h 5 min, 2 d 4 h."""
    if seconds is None:
        return ""
    s = int(seconds.total_seconds() if isinstance(seconds, timedelta) else seconds)
    s = max(s, 0)
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min"
    if s < 86400:
        return f"{s // 3600} h {s % 3600 // 60} min"
    return f"{s // 86400} d {s % 86400 // 3600} h"


def excerpt(text: str | None, limit: int = 120) -> str:
    """The start of a text, on one line."""
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def segments(text: str, findings: list[Finding]) -> list[tuple[str, Finding | None]]:
    """The draft cut into plain and flagged spans (overlaps go to the earlier finding)."""
    out: list[tuple[str, Finding | None]] = []
    at = 0
    for f in sorted(findings, key=lambda f: (f.start, -f.end)):
        start, end = max(f.start, at), min(f.end, len(text))
        if end <= start:
            continue
        if start > at:
            out.append((text[at:start], None))
        out.append((text[start:end], f))
        at = end
    if at < len(text):
        out.append((text[at:], None))
    return out


templates = Jinja2Templates(directory=str(TEMPLATES))
templates.env.filters.update(
    when=when,
    age=age,
    excerpt=excerpt,
    tagclass=lambda s: _TAGS.get(str(s), ""),
    verdictclass=lambda s: _VERDICTS.get(str(s), ""),
)


def page(
    request: Request,
    template: str,
    *,
    user: WebUser | None,
    csrf: str | None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """Render a page (or a fragment) for the signed-in `user` (None on the sign-in page)."""
    return templates.TemplateResponse(
        request,
        template,
        {"user": user, "csrf": csrf, **context},
        status_code=status_code,
        headers={"Cache-Control": "no-store"},
    )
