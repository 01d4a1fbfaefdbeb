"""`python -m bench`: run the benchmarks, print the table, write bench/results/<name>.json."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path

from bench import (
    api_load,
    e2e,
    guidance,
    ingest,
    memory,
    rebuild,
    release,
    router_throughput,
    web_load,
)
from bench import pipeline as pipeline_mod
from bench import publisher as publisher_bench
from bench.context import Context, Sizes
from bench.machine import machine_info
from bench.report import RESULTS, Result, markdown, table, write
from services.common.kafka_admin import broker_ready

NAMES = [
    "ingest",
    "router",
    "api",
    "web",
    "guidance",
    "rebuild",
    "e2e",
    "release",
    "publisher",
    "memory",
]
SIMPLE: dict[str, Callable[[Context], Result]] = {
    "ingest": ingest.run,
    "router": router_throughput.run,
    "api": api_load.run,
    "guidance": guidance.run,
    "publisher": publisher_bench.run,
    "rebuild": rebuild.run,
    "web": web_load.run,
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--only", default="", help=f"comma-separated subset of {','.join(NAMES)}")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes (keeps the suite working)")
    parser.add_argument(
        "--bootstrap",
        default=os.environ.get("SWITCHBOARD_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092"),
    )
    parser.add_argument("--postgres-url", default=None, help="SQLAlchemy URL for the API bench")
    parser.add_argument("--results-dir", type=Path, default=RESULTS)
    parser.add_argument("--markdown", action="store_true", help="also print a Markdown table")
    for f in fields(Sizes):
        flag = "--" + f.name.replace("_", "-")
        if f.type in ("bool", bool):
            parser.add_argument(
                flag, action="store_true", default=None, help="also 1,000,000 items (slow fill)"
            )
        else:
            kind = float if f.type in ("float", float) else int
            parser.add_argument(flag, type=kind, default=None, help=f"default {f.default}")
    args = parser.parse_args(argv)
    chosen = [n.strip() for n in args.only.split(",") if n.strip()] or NAMES
    unknown = sorted(set(chosen) - set(NAMES))
    if unknown:
        parser.error(f"unknown benchmark(s) {unknown}; choose from {NAMES}")
    args.chosen = [n for n in NAMES if n in chosen]
    return args


def sizes_from(args: argparse.Namespace) -> Sizes:
    sizes = Sizes.smoke() if args.smoke else Sizes()
    for f in fields(Sizes):
        value = getattr(args, f.name, None)
        if value is not None:
            setattr(sizes, f.name, value)
    return sizes


Save = Callable[[Result], None]


def _guarded(name: str, fn: Callable[[], Result], failures: list[str], save: Save) -> Result | None:
    """Run one benchmark and save its JSON at once; a failure is reported, the others go on."""
    sys.stderr.write(f"bench: running {name}...\n")
    started = time.monotonic()
    try:
        result = fn()
    except Exception:  # one broken benchmark must not hide the others' figures
        failures.append(name)
        sys.stderr.write(f"bench: {name} FAILED\n{traceback.format_exc()}\n")
        return None
    result.seconds = time.monotonic() - started
    sys.stderr.write(f"bench: {name} done in {result.seconds:.0f}s\n")
    save(result)
    return result


def run_all(ctx: Context, chosen: list[str], failures: list[str], save: Save) -> list[Result]:
    results: list[Result] = []
    for name in chosen:
        if name in SIMPLE:
            got = _guarded(name, lambda n=name: SIMPLE[n](ctx), failures, save)  # type: ignore[misc]
            results += [got] if got else []
    wanted = [n for n in ("e2e", "release") if n in chosen]
    if wanted:
        pipe = pipeline_mod.start(bootstrap=ctx.bootstrap, scratch=ctx.scratch, clock=e2e.OPEN)
        try:
            for name in wanted:
                fn = e2e.run if name == "e2e" else release.run
                got = _guarded(name, lambda f=fn: f(ctx, pipe), failures, save)  # type: ignore[misc]
                results += [got] if got else []
        finally:
            pipeline_mod.stop(pipe)
        for service, kib in pipe.peaks.items():
            ctx.record_peak(f"{service} (switchboard up)", kib)
        for r in results:
            if r.name in wanted:
                r.peaks_kib = dict(pipe.peaks)
    if "memory" in chosen:
        got = _guarded("memory", lambda: memory.run(ctx), failures, save)
        results += [got] if got else []
    return results


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not broker_ready(args.bootstrap):
        sys.stderr.write(
            f"bench: no Kafka broker at {args.bootstrap}; start one with "
            "`switchboard kafka up` (or `make run`), or pass --bootstrap\n"
        )
        return 2
    scratch = Path(tempfile.mkdtemp(prefix="switchboard-bench-"))
    sizes = sizes_from(args)
    ctx = Context(
        bootstrap=args.bootstrap,
        scratch=scratch,
        sizes=sizes,
        smoke=args.smoke,
        postgres_url=args.postgres_url,
    )
    machine = machine_info()
    failures: list[str] = []
    prefix = "smoke-" if args.smoke else ""

    def save(result: Result) -> None:
        result.params["smoke"] = args.smoke
        write(result, machine, directory=args.results_dir, prefix=prefix)

    results = run_all(ctx, args.chosen, failures, save)
    machine["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    for result in results:  # again, now with the load average at the end
        save(result)
    out = [
        "Switchboard benchmarks" + (" (SMOKE: tiny sizes, figures meaningless)" * args.smoke),
        f"machine: {machine['cpu_count']} x {machine['cpu_model']}, "
        f"{machine['memory_mib']} MiB, Python {machine['python']}, "
        f"Kafka {machine['kafka_broker']}, load average at start "
        f"{machine['load_average_at_start']}, at end {machine['load_average_at_end']}",
        "",
        table(results),
        "",
    ]
    for result in results:
        out += [f"{result.name}: {note}" for note in result.notes]
    out.append(f"\nresults: {args.results_dir}/<name>.json")
    if args.markdown:
        out += ["", markdown(results)]
    sys.stdout.write("\n".join(out) + "\n")
    if failures:
        sys.stderr.write(f"bench: FAILED: {', '.join(failures)}; service logs kept in {scratch}\n")
        return 1
    shutil.rmtree(scratch, ignore_errors=True)
    return 0
