"""Reply guidance: how long the checks take on a 2,000-character draft.

In-process: `GuidanceChecker.check` on Facebook (character limit) and on X (twitter-text
weighted length), p50/p99 over varied drafts. Baseline, same drafts, same run: one `\\w+`
regex pass plus a JSON round trip of the text (the least any per-keystroke check costs).
The CPU time of the checking thread (time.thread_time) is reported too: on a shared machine
the wall-clock p99 mostly measures how long the thread waited for a core.
Over HTTP: POST /v1/replies/check through the real app in-process (TestClient, SQLite), next
to GET /healthz through the same client.
"""

from __future__ import annotations

import json
import random
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import Session

from bench.context import Context
from bench.report import Figure, Result
from bench.support import percentile
from schemas.registry import load_registry
from services.guidance.bootstrap import build_checker

DRAFT_CHARS = 2_000
NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
TARGET_MS = 5.0
_WORD = re.compile(r"\w+")

SENTENCES = [
    "Thanks for getting in touch about your ARCP.",
    "The Annual Review of Competence Progression panel meets in the spring.",
    "You can find the details at https://www.hee.nhs.uk/our-work/training 😀",
    "Please email communications@hee.nhs.uk and the team will help.",
    "Your CPD record sits in your portfolio; the GMC has its own guidance.",
    "We can\u2019t comment on the general election, sorry.",
    "Foundation doctors (FY1 and FY2) apply through the UKFPO.",
    "Fees are £50 for the café-style drop-in sessions in KSS.",
    "If it is urgent, call NHS 111 or 999 in an emergency.",
    "Our office is open Monday to Friday, 9am to 5pm.",
    "We are sorry your experience was not what you expected.",
    "Technology Enhanced Learning (TEL) resources are free for NHS staff.",
]


def drafts(n: int, *, seed: int = 13) -> list[str]:
    """`n` varied drafts of exactly DRAFT_CHARS characters."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        parts: list[str] = []
        while sum(len(p) + 1 for p in parts) < DRAFT_CHARS:
            parts.append(rng.choice(SENTENCES))
        out.append(" ".join(parts)[:DRAFT_CHARS])
    return out


def _times_ms(
    fn: Callable[[str], object],
    texts: list[str],
    *,
    warmup: int = 10,
    clock: Callable[[], int] = time.perf_counter_ns,
) -> list[float]:
    for text in texts[:warmup]:
        fn(text)
    out = []
    for text in texts:
        started = clock()
        fn(text)
        out.append((clock() - started) / 1e6)
    return out


def _baseline(text: str) -> object:
    return len(_WORD.findall(text)), json.loads(json.dumps({"text": text}))


def _http(ctx: Context, texts: list[str]) -> tuple[list[float], list[float]]:
    """POST /v1/replies/check and GET /healthz through the app in-process (SQLite)."""
    from fastapi.testclient import TestClient  # only here: importing it warns (httpx2)

    from services.api.app import create_app
    from services.api.auth import Role
    from services.api.context import ApiContext
    from services.api.db import make_engine
    from services.api.migrate import upgrade
    from services.api.settings import ApiSettings
    from services.api.tokens import create_token
    from services.common.kafka_publisher import KafkaPublisher
    from services.common.settings import KafkaSettings

    folder = Path(ctx.scratch) / "guidance"
    folder.mkdir(parents=True, exist_ok=True)
    engine = make_engine(f"sqlite:///{folder / 'api.db'}")
    upgrade(engine)
    registry = load_registry()
    with Session(engine) as session:
        token = create_token(
            session,
            name="bench-guidance",
            role=Role.TEAM,
            queues=["press"],
            registry=registry,
            now=NOW,
        )
    api = ApiContext(
        settings=ApiSettings(),
        engine=engine,
        publisher=KafkaPublisher(KafkaSettings(bootstrap_servers=ctx.bootstrap)),  # never used
        registry=registry,
        checker=build_checker(registry=registry, clock=lambda: NOW),
    )
    headers = {"Authorization": f"Bearer {token}"}
    try:
        with TestClient(create_app(api)) as client:

            def post(text: str) -> object:
                r = client.post(
                    "/v1/replies/check",
                    json={"channel": "facebook:nhshee", "text": text},
                    headers=headers,
                )
                assert r.status_code == 200, r.text
                return r

            def health(_text: str) -> object:
                return client.get("/healthz")

            return _times_ms(post, texts), _times_ms(health, texts)
    finally:
        engine.dispose()


def run(ctx: Context) -> Result:
    n = ctx.sizes.guidance_drafts
    result = Result("guidance", "Reply guidance: check a 2,000-character draft (ms)")
    texts = drafts(n)
    registry = load_registry()
    checker = build_checker(registry=registry, clock=lambda: NOW)
    result.params = {"drafts": n, "draft_chars": DRAFT_CHARS, "channels": ["facebook", "twitter"]}
    base = _times_ms(_baseline, texts)
    base_cpu = _times_ms(_baseline, texts, clock=time.thread_time_ns)
    for label, channel in (("Facebook", "facebook:nhshee"), ("X", "twitter:hee_kss")):
        took = _times_ms(lambda t, c=channel: checker.check(channel_id=c, text=t), texts)  # type: ignore[misc]
        cpu = _times_ms(
            lambda t, c=channel: checker.check(channel_id=c, text=t),  # type: ignore[misc]
            texts,
            clock=time.thread_time_ns,
        )
        result.add(
            Figure(
                f"check p99 CPU time (thread_time), {label}",
                percentile(cpu, 99),
                "ms",
                "\\w+ scan + JSON round trip p99 CPU time",
                percentile(base_cpu, 99),
                higher_is_better=False,
            )
        )
        for q in (50, 99):
            p99 = percentile(took, q)
            result.add(
                Figure(
                    f"check p{q}, {label}",
                    p99,
                    "ms",
                    f"\\w+ scan + JSON round trip p{q}",
                    percentile(base, q),
                    target=f"p99 < {TARGET_MS:g} ms" if q == 99 else "",
                    met=p99 < TARGET_MS if q == 99 else None,
                    higher_is_better=False,
                )
            )
    post, health = _http(ctx, texts[: max(20, n // 4)])
    for q in (50, 99):
        result.add(
            Figure(
                f"POST /v1/replies/check p{q} (in-process client)",
                percentile(post, q),
                "ms",
                f"GET /healthz p{q}, same client",
                percentile(health, q),
                higher_is_better=False,
            )
        )
    findings = len(checker.check(channel_id="facebook:nhshee", text=texts[0]).findings)
    result.notes.append(
        f"{n} drafts of {DRAFT_CHARS} characters from {len(SENTENCES)} sentences (acronyms, a "
        f"link, emoji, an address, a political term); the first has {findings} findings."
    )
    return result
