"""Mounts the team pages on the API's FastAPI app: routes, static assets, error pages."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.web.context import WebContext
from services.web.deps import CsrfError, SignInRequiredError
from services.web.pages import admin, approvals, item, signin, work
from services.web.pages.work import NotVisibleError
from services.web.render import STATIC, page

SECURITY_HEADERS = {
    # Scripts and styles only from this server: the pages make no third-party requests.
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
    "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def mount_web(app: FastAPI, web: WebContext) -> None:
    """Add the pages to `app` (the API's own app: pages call its store and actions)."""
    app.state.web = web
    for module in (signin, work, item, approvals, admin):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.exception_handler(SignInRequiredError)
    async def _sign_in(request: Request, _exc: SignInRequiredError) -> Response:
        if request.headers.get("HX-Request"):
            return Response(status_code=401, headers={"HX-Redirect": "/sign-in"})
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/sign-in?next={target}", status_code=303)

    @app.exception_handler(CsrfError)
    async def _csrf(request: Request, _exc: CsrfError) -> HTMLResponse:
        message = (
            "This form had expired or did not come from Switchboard (its security token did "
            "not match). Go back, reload the page and try again."
        )
        return page(request, "error.html", user=None, csrf=None, status_code=403,
                    title="Request refused", message=message)  # fmt: skip

    @app.exception_handler(NotVisibleError)
    async def _not_visible(request: Request, _exc: NotVisibleError) -> HTMLResponse:
        return page(request, "error.html", user=None, csrf=None, status_code=403,
                    title="Not in your scope",
                    message="This page is not one you can see. It may not exist, or it "
                    "belongs to another team or channel.")  # fmt: skip

    app.add_middleware(SecurityHeaders)


class SecurityHeaders:
    """Plain ASGI (not BaseHTTPMiddleware, which wraps every streamed response in a task)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Add the pages' security headers to every answer outside the JSON API."""
        path: str = scope.get("path", "")
        if scope["type"] != "http" or path.startswith(("/v1/", "/healthz", "/readyz")):
            await self.app(scope, receive, send)
            return

        async def adding(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, adding)
