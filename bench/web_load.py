"""8. The team pages under 50 concurrent signed-in clients: work-list page and item page.

The database is filled as for the API bench (bench/api_fill.py: the projector's own fold and
write; half the items on the press queue). A real `switchboard api serve` process serves the
pages; wrk (or the httpx fallback, labelled) sends each request with a signed-in session
cookie, so every request pays the session lookup, the scope query and the template. Baseline:
GET /healthz on the same server, same load, same run. SQLite only (the page adds templates
and a session lookup to queries the API bench already measures on PostgreSQL).
"""

from __future__ import annotations

import subprocess
import uuid
from datetime import timedelta

import httpx
from sqlmodel import Session, col, select

from bench.api_fill import fill_bulk
from bench.api_load import _serve
from bench.context import Context
from bench.loadgen import Load, run_load, wrk_path
from bench.report import Figure, Result
from schemas.registry import load_registry
from services.api.auth import Role
from services.api.db import make_engine
from services.api.models import Item
from services.common.clock import utc_now
from services.web import sessions
from services.web.users import create_user, new_user


def prepare(url: str) -> dict[str, str]:
    """A press-team user with a live session, and an open press item in the middle."""
    engine = make_engine(url)
    now = utc_now()  # the server reads the wall clock: the session must be live now
    with Session(engine) as session:
        user = new_user(
            email=f"bench-{uuid.uuid4().hex[:6]}@bench.test",
            name="Bench press officer",
            role=Role.TEAM,
            queues=["press"],
            password=None,
            registry=load_registry(),
            now=now,
        )
        create_user(session, user=user)
        secret = sessions.start(session, user=user, now=now, ttl=timedelta(hours=2))
    with Session(engine) as session:
        ids = session.exec(
            select(Item.event_id)
            .where(Item.queue == "press", Item.status == "open")
            .order_by(col(Item.sort_at), col(Item.id))
        ).all()
    engine.dispose()
    return {"cookie": f"sb_session={secret}", "item": str(ids[len(ids) // 2])}


def measure(ctx: Context, url: str, problems: list[str]) -> dict[str, Load]:
    """Load /healthz, the work-list page and the item page in turn."""
    info = prepare(url)
    svc, base = _serve(url, ctx, "web")
    signed_in = {"Cookie": info["cookie"]}
    c, s = ctx.sizes.api_clients, ctx.sizes.api_seconds
    plans = {
        "healthz": (f"{base}/healthz", {}),
        "list": (f"{base}/queues/press", signed_in),
        "item": (f"{base}/items/{info['item']}", signed_in),
    }
    loads: dict[str, Load] = {}
    nan = float("nan")
    try:
        for key, (target, headers) in plans.items():
            # One request first: the first page builds the office calendars (bank holidays)
            # and compiles its templates, seconds that belong to start-up, not to load.
            httpx.get(target, headers=headers, timeout=60)
            try:
                loads[key] = run_load(target, headers=headers, clients=c, seconds=s)
            except (ValueError, subprocess.SubprocessError) as err:
                loads[key] = Load("failed", 0, 0.0, nan, nan, nan, -1)
                problems.append(f"web {key}: load generator failed: {err}"[:2000])
            if loads[key].requests == 0:
                loads[key] = Load("no answer", 0, s, nan, nan, nan, loads[key].errors)
                problems.append(f"web {key}: no request completed in {s:.0f}s")
    finally:
        svc.stop()
        ctx.record_peak("api serve (web)", svc.peak_kib)
    return loads


def run(ctx: Context) -> Result:
    """Fill, serve, load; figures next to /healthz."""
    result = Result("web", "Team pages: work list and item page, signed-in clients")
    items = ctx.sizes.web_items
    result.params = {
        "items": items,
        "clients": ctx.sizes.api_clients,
        "seconds_per_load": ctx.sizes.api_seconds,
        "load_generator": "wrk" if wrk_path() else "httpx-asyncio fallback (wrk not installed)",
        "backend": "sqlite",
        "session": "one signed-in session cookie shared by every connection",
    }
    url = f"sqlite:///{ctx.scratch / f'web-{uuid.uuid4().hex[:6]}.db'}"
    took = fill_bulk(url, items, batch=5000)
    result.notes.append(f"sqlite fill of {items:,} items: {took:.0f}s")
    loads = measure(ctx, url, result.notes)
    base = loads["healthz"]
    for key, name in (("list", "work-list page"), ("item", "item page")):
        load = loads[key]
        label = f"sqlite {items:,}: {name}"
        result.add(Figure(f"{label}, req/s", load.rps, "req/s", "/healthz req/s", base.rps))
        for q in ("p50", "p99"):
            result.add(Figure(f"{label}, {q}", getattr(load, f"{q}_ms"), "ms",
                              f"/healthz {q}", getattr(base, f"{q}_ms"),
                              higher_is_better=False))  # fmt: skip
        if load.errors:
            result.notes.append(f"{name}: {load.errors} non-2xx/socket errors")
    for name, kib in ctx.peaks.items():
        if name == "api serve (web)":
            result.peaks_kib[name] = kib
    return result
