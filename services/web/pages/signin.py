"""Sign in and sign out.

Single sign-on seam: an OIDC callback route would end exactly as `post_sign_in` does once the
identity provider vouches for an e-mail address: find the user, then `_signed_in(...)` (see
docs/web.md). Nothing else in the pages knows how someone proved who they are.
"""

from __future__ import annotations

import math
import secrets
from datetime import timedelta
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from services.api.context import ApiContext
from services.api.deps import ContextDep
from services.web import sessions
from services.web.context import WebContext
from services.web.deps import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    Acting,
    WebDep,
    check_signin_csrf,
)
from services.web.models import User
from services.web.render import page
from services.web.users import verify_password

router = APIRouter(include_in_schema=False)


def _secure(request: Request, web: WebContext) -> bool:
    flag = web.settings.secure_cookies
    return flag if flag is not None else request.url.scheme == "https"


def safe_next(target: str | None) -> str:
    """A local path to go to after signing in; anything else (another site) becomes /."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def _form(
    request: Request, web: WebContext, *, email: str, next_url: str, error: str | None, code: int
) -> HTMLResponse:
    token = secrets.token_urlsafe(32)
    response = page(
        request,
        "signin.html",
        user=None,
        csrf=None,
        status_code=code,
        title="Sign in",
        signin_csrf=token,
        email=email,
        next_url=safe_next(next_url),
        error=error,
        sso=None,
    )
    response.set_cookie(
        CSRF_COOKIE, token, httponly=True, samesite="strict", secure=_secure(request, web)
    )
    return response


@router.get("/sign-in", response_class=HTMLResponse)
def get_sign_in(request: Request, web: WebDep, next: str = "/") -> HTMLResponse:
    """The sign-in form."""
    return _form(request, web, email="", next_url=next, error=None, code=200)


def signed_in(
    request: Request, web: WebContext, ctx: ApiContext, *, user: User, next_url: str
) -> Response:
    """Start a session for `user` and send the browser on: the end of every way to sign in."""
    with Session(ctx.engine) as session:
        secret = sessions.start(
            session,
            user=user,
            now=ctx.clock(),
            ttl=timedelta(hours=web.settings.session_hours),
        )
    response = RedirectResponse(safe_next(next_url), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        max_age=int(web.settings.session_hours * 3600),
        httponly=True,
        samesite="lax",
        secure=_secure(request, web),
    )
    response.delete_cookie(CSRF_COOKIE)
    return response


@router.post("/sign-in", dependencies=[Depends(check_signin_csrf)])
async def post_sign_in(
    request: Request,
    web: WebDep,
    ctx: ContextDep,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Check the password (rate-limited per account and per client), then start a session."""
    assert web.limiter is not None
    client = request.client.host if request.client else "unknown"
    now = ctx.clock()
    wait = web.limiter.blocked_for(email=email, client=client, now=now)
    if wait > timedelta(0):
        minutes = max(1, math.ceil(wait.total_seconds() / 60))
        message = f"Too many failed sign-ins. Try again in {minutes} minutes."
        return _form(request, web, email=email, next_url=next, error=message, code=429)

    def _check() -> User | None:
        with Session(ctx.engine) as session:
            return verify_password(session, email=email, password=password)

    user = await run_in_threadpool(_check)
    if user is None:
        web.limiter.failed(email=email, client=client, now=now)
        message = "The email address or password is not right."
        return _form(request, web, email=email, next_url=next, error=message, code=401)
    return await run_in_threadpool(signed_in, request, web, ctx, user=user, next_url=next)


@router.post("/sign-out")
def sign_out(request: Request, ctx: ContextDep, _acting: Acting) -> Response:
    """End the session (CSRF-checked, so another site cannot sign people out)."""
    with Session(ctx.engine) as session:
        sessions.end(session, secret=request.cookies.get(SESSION_COOKIE, ""), now=ctx.clock())
    response = RedirectResponse("/sign-in", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
