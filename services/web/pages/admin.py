"""The admin page: users and tokens (create, disable/revoke) and campaigns."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlmodel import Session, col, select

from schemas.work import ActorKind
from services.api.auth import Role, TokenError
from services.api.context import ApiContext
from services.api.deps import ContextDep, SessionDep
from services.api.models import CampaignRow
from services.api.public import CampaignIn
from services.api.routes.campaigns import create_campaign
from services.api.tokens import create_token, list_tokens, revoke_token
from services.web.deps import Acting, SignedIn
from services.web.pages.work import NotVisibleError
from services.web.render import page
from services.web.users import UserError, WebUser, create_user, disable_user, list_users, new_user

router = APIRouter(prefix="/admin", include_in_schema=False)
Text = Annotated[str, Form(max_length=320)]
Many = Annotated[list[str] | None, Form()]


def _admin(user: WebUser) -> None:
    if not user.is_admin:
        raise NotVisibleError


def _admin_page(
    request: Request,
    ctx: ApiContext,
    session: Session,
    signed_in: tuple[WebUser, str],
    *,
    status_code: int = 200,
    **extra: Any,
) -> HTMLResponse:
    user, csrf = signed_in
    campaigns = session.exec(select(CampaignRow).order_by(col(CampaignRow.campaign_id))).all()
    return page(
        request,
        "admin.html",
        user=user,
        csrf=csrf,
        status_code=status_code,
        title="Admin",
        users=list_users(session),
        tokens=list_tokens(session),
        campaigns=campaigns,
        queues=sorted((q, s.name) for q, s in ctx.registry.queues.items()),
        channels=sorted(c.id for c in ctx.registry),
        today=ctx.clock().date().isoformat(),
        flash={"user": "User created.", "disabled": "User disabled.", "revoked": "Token revoked.",
               "campaign": "Campaign tracked."}.get(request.query_params.get("done", "")),
        **extra,
    )  # fmt: skip


@router.get("", response_class=HTMLResponse)
def admin_page(
    request: Request, ctx: ContextDep, session: SessionDep, signed_in: SignedIn
) -> HTMLResponse:
    """Users, tokens and campaigns."""
    _admin(signed_in[0])
    return _admin_page(request, ctx, session, signed_in)


def _role(role: str, queues: list[str], channels: list[str], approves: list[str]) -> Role:
    if role == "admin":
        return Role.ADMIN
    if role == "lead" or (channels and not queues and not approves):
        return Role.LEAD
    return Role.TEAM


@router.post("/users")
def add_user(
    request: Request,
    ctx: ContextDep,
    session: SessionDep,
    acting: Acting,
    email: Text,
    name: Annotated[str, Form(max_length=200)],
    role: Annotated[str, Form(max_length=10)] = "team",
    queue: Many = None,
    channel: Many = None,
    approver: Many = None,
) -> Response:
    """Create a user; the generated password is shown once, on the page that answers."""
    _admin(acting[0])
    queues, channels, approves = queue or [], channel or [], approver or []
    if role == "lead":
        queues = []
    elif role != "admin":
        channels = []
    password = secrets.token_urlsafe(12)
    try:
        user = new_user(email=email, name=name, role=_role(role, queues, channels, approves),
                        queues=queues, channels=channels, approves=approves, password=password,
                        registry=ctx.registry, now=ctx.clock())  # fmt: skip
        create_user(session, user=user, actor=acting[0].email, actor_kind=ActorKind.USER)
    except UserError as err:
        session.rollback()
        return _admin_page(request, ctx, session, acting, error=str(err), status_code=422)
    shown = f"User {user.email} created. Their password (shown once): {password}"
    return _admin_page(request, ctx, session, acting, secret=shown)


@router.post("/users/{email}/disable")
def disable(request: Request, ctx: ContextDep, session: SessionDep, acting: Acting,
            email: str) -> Response:  # fmt: skip
    """Stop a user signing in; their sessions end at once."""
    _admin(acting[0])
    try:
        disable_user(session, email=email, now=ctx.clock(), actor=acting[0].email,
                     actor_kind=ActorKind.USER)  # fmt: skip
    except UserError as err:
        return _admin_page(request, ctx, session, acting, error=str(err), status_code=404)
    return RedirectResponse("/admin?done=disabled", status_code=303)


@router.post("/tokens")
def add_token(
    request: Request,
    ctx: ContextDep,
    session: SessionDep,
    acting: Acting,
    name: Annotated[str, Form(max_length=200)],
    role: Annotated[str, Form(max_length=10)] = "team",
    queue: Many = None,
    channel: Many = None,
) -> Response:
    """Create a bearer token; its secret is shown once."""
    _admin(acting[0])
    kind = {"admin": Role.ADMIN, "lead": Role.LEAD}.get(role, Role.TEAM)
    try:
        secret = create_token(
            session, name=name, role=kind,
            queues=(queue or []) if kind is Role.TEAM else [],
            channels=(channel or []) if kind is Role.LEAD else [],
            registry=ctx.registry, now=ctx.clock(),
            actor=acting[0].email, actor_kind=ActorKind.USER,
        )  # fmt: skip
    except TokenError as err:
        session.rollback()
        return _admin_page(request, ctx, session, acting, error=str(err), status_code=422)
    shown = f"Token {name} created (shown once): {secret}"
    return _admin_page(request, ctx, session, acting, secret=shown)


@router.post("/tokens/{name}/revoke")
def revoke(request: Request, ctx: ContextDep, session: SessionDep, acting: Acting,
           name: str) -> Response:  # fmt: skip
    """Revoke a token by name."""
    _admin(acting[0])
    try:
        revoke_token(session, name=name, now=ctx.clock(), actor=acting[0].email,
                     actor_kind=ActorKind.USER)  # fmt: skip
    except TokenError as err:
        return _admin_page(request, ctx, session, acting, error=str(err), status_code=404)
    return RedirectResponse("/admin?done=revoked", status_code=303)


@router.post("/campaigns")
def add_campaign(
    request: Request,
    ctx: ContextDep,
    session: SessionDep,
    acting: Acting,
    campaign_id: Annotated[str, Form(max_length=100)],
    name: Annotated[str, Form(max_length=200)],
    hashtag: Annotated[str, Form(max_length=140)],
    owner_queue: Annotated[str, Form(max_length=200)],
    start_date: Annotated[date, Form()],
) -> Response:
    """Track a campaign hashtag (the same function as POST /v1/campaigns)."""
    _admin(acting[0])
    try:
        body = CampaignIn(campaign_id=campaign_id, name=name, hashtag=hashtag,
                          owner_queue=owner_queue, start_date=start_date)  # fmt: skip
        create_campaign(ctx, session, acting[0].principal, body)
    except (ValidationError, RequestValidationError, HTTPException) as err:
        session.rollback()
        detail = getattr(err, "detail", None) or str(err)
        return _admin_page(request, ctx, session, acting, error=f"Not tracked: {detail}",
                           status_code=422)  # fmt: skip
    return RedirectResponse("/admin?done=campaign", status_code=303)
