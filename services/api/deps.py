"""FastAPI dependencies, as Annotated aliases used by every route module."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from services.api.auth import Principal, authenticate_digest, hash_token
from services.api.context import ApiContext

_bearer = HTTPBearer(auto_error=False, description="A token from `switchboard tokens create`.")


def get_context(request: Request) -> ApiContext:
    """The app's context."""
    ctx: ApiContext = request.app.state.ctx
    return ctx


ContextDep = Annotated[ApiContext, Depends(get_context)]


async def get_session(ctx: ContextDep) -> AsyncIterator[Session]:
    """A database session for one request.

    An async generator on purpose: its teardown (which returns the connection to the pool)
    runs on the event loop. As a sync generator the teardown needs a worker thread, and under
    load every worker thread could be waiting for a pooled connection that only a pending
    teardown would free: the API locked up under 50 clients on SQLite (bench/api_load.py).
    Creating and closing a Session does no I/O of note; queries still run in the route's
    worker thread.
    """
    session = Session(ctx.engine, expire_on_commit=False)
    try:
        yield session
    finally:
        session.close()


SessionDep = Annotated[Session, Depends(get_session)]


def _lookup(ctx: ApiContext, digest: str) -> Principal | None:
    # Its own short session: the request's session stays free for a write transaction.
    with Session(ctx.engine) as session:
        return authenticate_digest(session, digest=digest, registry=ctx.registry)


async def get_principal(
    ctx: ContextDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The caller, from its bearer token; 401 when missing, unknown or revoked."""
    challenge = {"WWW-Authenticate": "Bearer"}
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing bearer token", challenge)
    token = credentials.credentials
    if len(token) > 200:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "invalid or revoked token", challenge)
    digest = hash_token(token)
    cache = ctx.token_cache
    # A cache hit answers on the event loop; only a miss pays a thread hop and a query.
    found, principal = cache.get(digest) if cache is not None else (False, None)
    if not found:
        principal = await run_in_threadpool(_lookup, ctx, digest)
        if cache is not None:
            cache.put(digest, principal)
    if principal is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "invalid or revoked token", challenge)
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]
