"""Dependencies of the pages: the signed-in user, and the CSRF check on unsafe requests."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlmodel import Session

from services.api.deps import ContextDep
from services.web import sessions
from services.web.context import WebContext
from services.web.users import WebUser, web_user

SESSION_COOKIE = "sb_session"
CSRF_COOKIE = "sb_csrf"  # the signed-out form's double-submit token (sign-in only)
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"


class SignInRequiredError(Exception):
    """No live session: the app answers with a redirect to the sign-in page."""


class CsrfError(Exception):
    """An unsafe request without the session's CSRF token: 403."""


def get_web(request: Request) -> WebContext:
    """The pages' context."""
    web: WebContext = request.app.state.web
    return web


WebDep = Annotated[WebContext, Depends(get_web)]


async def get_signed_in(request: Request, ctx: ContextDep) -> tuple[WebUser, str]:
    """The user of the request's session and that session's CSRF token."""
    secret = request.cookies.get(SESSION_COOKIE, "")
    if not secret:
        raise SignInRequiredError

    def _load() -> tuple[WebUser, str] | None:
        with Session(ctx.engine) as session:
            info = sessions.lookup(session, secret=secret, now=ctx.clock())
            if info is None:
                return None
            return web_user(info.user, ctx.registry), info.csrf_token

    found = await run_in_threadpool(_load)
    if found is None:
        raise SignInRequiredError
    return found


SignedIn = Annotated[tuple[WebUser, str], Depends(get_signed_in)]


async def _sent_token(request: Request) -> str:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get(CSRF_FIELD)
        return value if isinstance(value, str) else ""
    return ""


async def get_acting(request: Request, signed_in: SignedIn) -> tuple[WebUser, str]:
    """The signed-in user of an unsafe request whose CSRF token matches the session's."""
    user, csrf = signed_in
    if not hmac.compare_digest((await _sent_token(request)).encode(), csrf.encode()):
        raise CsrfError
    return user, csrf


Acting = Annotated[tuple[WebUser, str], Depends(get_acting)]


async def check_signin_csrf(request: Request) -> None:
    """The sign-in form's double-submit check (there is no session yet to hold a token)."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    sent = await _sent_token(request)
    if not cookie or not hmac.compare_digest(sent.encode(), cookie.encode()):
        raise CsrfError
