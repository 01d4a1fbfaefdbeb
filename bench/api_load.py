"""5. API under 50 concurrent clients: the work list and the channel feed, SQLite and PostgreSQL.

The database is filled through the projector's own code (its `fold` and `_write`, one
transaction per 5,000 events: bench/api_fill.py), not through Kafka. Half the items are on the press
queue (twitter:nhs_healthedeng, 10% of them held), half on digital (YouTube). Then a real
`switchboard api serve` process is loaded with wrk (or an httpx fallback, labelled) on
loopback. Baseline: GET /healthz (no database, no auth) on the same server, same load.
"""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

import psycopg
from sqlalchemy import make_url
from sqlmodel import Session, col, select

from bench.api_fill import fill_bulk
from bench.api_work_list import T0
from bench.context import Context
from bench.loadgen import Load, run_load, wrk_path
from bench.report import Figure, Result
from bench.support import Service
from schemas.registry import load_registry
from services.api.auth import Role
from services.api.cursors import change_cursor, page_cursor
from services.api.db import make_engine
from services.api.models import Item
from services.api.tokens import create_token
from tests.support.ports import free_port
from tests.support.processes import PYTHON, REPO

CHANNEL = "twitter:nhs_healthedeng"
MILLION = 1_000_000


def postgres_base_url(ctx: Context) -> str | None:
    """--postgres-url, SWITCHBOARD_BENCH/TEST_POSTGRES_URL, else deploy/local/postgres.sh."""
    if ctx.postgres_url:
        return ctx.postgres_url
    for var in ("SWITCHBOARD_BENCH_POSTGRES_URL", "SWITCHBOARD_TEST_POSTGRES_URL"):
        if os.environ.get(var):
            return os.environ[var]
    if ctx.smoke:  # postgres.sh resets the role's password: never under a running test session
        return None
    script = REPO / "deploy" / "local" / "postgres.sh"
    done = subprocess.run(["bash", str(script)], capture_output=True, text=True, check=False)
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else None


@contextmanager
def database(kind: str, ctx: Context, base: str | None) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a new schema dropped afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{ctx.scratch / f'api-{uuid.uuid4().hex[:6]}.db'}"
        return
    assert base is not None
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    conninfo = make_url(base).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def prepare(url: str) -> dict[str, str]:
    """Tokens and mid-way cursors (the deep pages a returning user asks for)."""
    engine = make_engine(url)
    registry = load_registry()
    with Session(engine) as session:  # create_token commits
        team = create_token(
            session,
            name=f"bench-team-{uuid.uuid4().hex[:6]}",
            role=Role.TEAM,
            queues=["press"],
            registry=registry,
            now=T0,
        )
        lead = create_token(
            session,
            name=f"bench-lead-{uuid.uuid4().hex[:6]}",
            role=Role.LEAD,
            channels=[CHANNEL],
            registry=registry,
            now=T0,
        )
    with Session(engine) as session:
        open_press = select(Item.sort_at, Item.id).where(
            Item.queue == "press", Item.status == "open"
        )
        rows = session.exec(open_press.order_by(col(Item.sort_at), col(Item.id))).all()
        middle_at, middle_id = rows[len(rows) // 2]
        seqs = session.exec(
            select(Item.change_seq).where(Item.channel_id == CHANNEL).order_by(col(Item.change_seq))
        ).all()
    engine.dispose()
    assert middle_id is not None
    return {
        "team": team,
        "lead": lead,
        "page": page_cursor(sort_at=middle_at, item_id=middle_id),
        "since": change_cursor(seqs[len(seqs) // 2]),
    }


def _serve(url: str, ctx: Context, tag: str) -> tuple[Service, str]:
    port = free_port()
    env = {
        **os.environ,
        "SWITCHBOARD_DATABASE_URL": url,
        "SWITCHBOARD_LOG_LEVEL": "WARNING",
        "SWITCHBOARD_DATA_DIR": str(ctx.scratch / f"api-{tag}"),
        "SWITCHBOARD_KAFKA_BOOTSTRAP_SERVERS": ctx.bootstrap,
        "SWITCHBOARD_KAFKA_TOPIC_PREFIX": f"benchapi{uuid.uuid4().hex[:6]}.",
    }
    argv = [PYTHON, "-m", "services", "api", "serve", "--host", "127.0.0.1", "--port", str(port)]
    svc = Service(f"api ({tag})", argv, env, ctx.scratch / f"api-{tag}.log")
    svc.start()
    base = f"http://127.0.0.1:{port}"
    svc.wait_http(f"{base}/healthz", timeout_s=120, every=0.2)
    return svc, base


def _figures(result: Result, label: str, loads: dict[str, Load], *, targeted: bool) -> None:
    base, base1 = loads["healthz"], loads["healthz-1"]
    for key, name in (
        ("list", "work list, first page"),
        ("deep", "work list, deep cursor page"),
        ("feed", "channel feed ?since="),
    ):
        load = loads[key]
        result.add(Figure(f"{label}: {name}, req/s", load.rps, "req/s", "/healthz req/s", base.rps))
        p99 = result.add(
            Figure(
                f"{label}: {name}, p99",
                load.p99_ms,
                "ms",
                "/healthz p99",
                base.p99_ms,
                higher_is_better=False,
            )
        )
        if key in {"list", "feed"} and targeted:
            p99.target, p99.met = "< 25 ms", load.requests > 0 and load.p99_ms < 25
        result.add(
            Figure(
                f"{label}: {name}, p50",
                load.p50_ms,
                "ms",
                "/healthz p50",
                base.p50_ms,
                higher_is_better=False,
            )
        )
    one = loads["list-1"]
    result.add(
        Figure(
            f"{label}: work list, 1 client, p50",
            one.p50_ms,
            "ms",
            "/healthz 1 client p50",
            base1.p50_ms,
            higher_is_better=False,
        )
    )


def measure(ctx: Context, url: str, tag: str, problems: list[str]) -> dict[str, Load]:
    info = prepare(url)
    svc, base = _serve(url, ctx, tag)
    team = {"Authorization": f"Bearer {info['team']}"}
    lead = {"Authorization": f"Bearer {info['lead']}"}
    c, s = ctx.sizes.api_clients, ctx.sizes.api_seconds
    plans = {
        "healthz": (f"{base}/healthz", {}, c),
        "list": (f"{base}/v1/queues/press/items?limit=50", team, c),
        "deep": (f"{base}/v1/queues/press/items?limit=50&cursor={info['page']}", team, c),
        "feed": (f"{base}/v1/channels/{CHANNEL}/items?limit=100&since={info['since']}", lead, c),
        "healthz-1": (f"{base}/healthz", {}, 1),
        "list-1": (f"{base}/v1/queues/press/items?limit=50", team, 1),
    }
    loads: dict[str, Load] = {}
    try:
        for key, (url_, headers, clients) in plans.items():
            nan = float("nan")
            try:
                loads[key] = run_load(url_, headers=headers, clients=clients, seconds=s)
            except (ValueError, subprocess.SubprocessError) as err:  # report, keep going
                loads[key] = Load("failed", 0, 0.0, nan, nan, nan, -1)
                problems.append(f"{tag} {key}: load generator failed: {err}"[:2000])
            if loads[key].requests == 0:  # a wedged server: no figure, and say so
                loads[key] = Load("no answer", 0, s, nan, nan, nan, loads[key].errors)
                problems.append(f"{tag} {key}: no request completed in {s:.0f}s")
    finally:
        svc.stop()
        ctx.record_peak(f"api serve ({tag})", svc.peak_kib)
    return loads


def run(ctx: Context) -> Result:
    result = Result("api", "API: work list and channel feed under concurrent clients")
    sizes = [ctx.sizes.api_items] + ([MILLION] if ctx.sizes.api_million else [])
    pg = postgres_base_url(ctx)
    kinds = ["sqlite"] + (["postgres"] if pg else [])
    if not pg and ctx.smoke:
        result.notes.append("smoke: PostgreSQL only with --postgres-url or *_POSTGRES_URL set")
    elif not pg:
        result.notes.append(
            "PostgreSQL skipped: no URL (--postgres-url, "
            "SWITCHBOARD_BENCH_POSTGRES_URL) and deploy/local/postgres.sh failed"
        )
    if not ctx.sizes.api_million:
        result.notes.append(
            "1,000,000 items skipped (default; --api-million runs it): filling "
            "would take ~10x the 100,000 fill below (and the database ~1.2 GB on SQLite) "
            "on 2 cores shared with other work."
        )
    tool = "wrk" if wrk_path() else "httpx-asyncio fallback (wrk not installed)"
    result.params = {
        "items": sizes,
        "clients": ctx.sizes.api_clients,
        "seconds_per_load": ctx.sizes.api_seconds,
        "load_generator": tool,
        "backends": kinds,
        "fill": "bench/api_fill.py: the projector's fold/_write, one transaction per 5,000",
        "server": "switchboard api serve (one uvicorn process), log level WARNING",
    }
    if not wrk_path():
        result.notes.append(
            "wrk is not installed (apt-get install wrk): used the asyncio httpx "
            "load generator instead, which itself costs CPU on this machine."
        )
    for items in sizes:
        for kind in kinds:
            with database(kind, ctx, pg) as url:
                took = fill_bulk(url, items, batch=5000)
                result.notes.append(
                    f"{kind} fill of {items:,} items: {took:.0f}s ({items / took:,.0f} items/s)"
                )
                loads = measure(ctx, url, f"{kind}-{items}", result.notes)
            _figures(result, f"{kind} {items:,}", loads, targeted=items == 100_000)
            errors = {k: v.errors for k, v in loads.items() if v.errors}
            if errors:
                result.notes.append(f"{kind} {items:,}: non-2xx/socket errors {errors}")
    for name, kib in ctx.peaks.items():
        if name.startswith("api serve"):
            result.peaks_kib[name] = kib
    return result
