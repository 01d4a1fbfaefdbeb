"""The benchmark suite's own parts: no broker, no server (the smoke run covers those)."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import pytest
from sqlmodel import Session, col, func, select

from bench.api_fill import fill_bulk
from bench.api_work_list import fill
from bench.cli import parse_args, sizes_from
from bench.context import Sizes
from bench.loadgen import parse_wrk
from bench.machine import broker_version, cpu_model, mem_total_mib
from bench.report import Figure, Result, markdown, table, write
from bench.support import percentile, vm_hwm_kib
from services.api.db import make_engine
from services.api.models import Item, ItemEvent

WRK = """Running 10s test @ http://127.0.0.1:8000/healthz
  2 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    68.12ms   10.40ms   1.33s    80.50%
  Latency Distribution
     50%  866.00us
     75%   71.84ms
     90%   79.56ms
     99%    1.05s
  7318 requests in 10.01s, 1.04MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 3
Requests/sec:    731.16
Transfer/sec:    106.56KB
"""


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50
    assert percentile(values, 99) == 99
    assert percentile(values, 100) == 100
    assert percentile([7.0], 99) == 7
    assert math.isnan(percentile([], 50))


def test_wrk_output_is_parsed_with_units_and_errors() -> None:
    load = parse_wrk(WRK)
    assert load.tool == "wrk"
    assert load.requests == 7318
    assert load.rps == pytest.approx(731.16)
    assert load.p50_ms == pytest.approx(0.866)
    assert load.p99_ms == pytest.approx(1050.0)
    assert load.errors == 3 + 3
    assert load.seconds == pytest.approx(10.01)


def test_figure_ratio_and_table_show_baseline_and_target(tmp_path: Path) -> None:
    result = Result("router", "Router")
    result.add(Figure("1 worker", 300.0, "items/s", "bare loop", 1200.0, target=">= 0.50x",
                      met=False))  # fmt: skip
    result.add(Figure("no baseline", 5.0, "s"))
    assert result.figures[0].ratio == pytest.approx(0.25)
    assert result.figures[1].ratio is None
    text = table([result])
    assert "0.25x" in text
    assert "MISSED" in text
    assert "bare loop" in text
    assert "| router | 1 worker | 300 items/s | bare loop 1,200 | 0.25x |" in markdown([result])
    path = write(result, {"cpu_count": 2}, directory=tmp_path)
    data = json.loads(path.read_text())
    assert path.name == "router.json"
    assert data["machine"] == {"cpu_count": 2}
    assert data["figures"][0]["ratio"] == pytest.approx(0.25)
    assert data["figures"][0]["met"] is False


def test_machine_info_parsers(tmp_path: Path) -> None:
    assert cpu_model("processor\t: 0\nmodel name\t: AMD EPYC 7B13\n") == "AMD EPYC 7B13"
    assert mem_total_mib("MemTotal:       24683520 kB\nMemFree: 1 kB\n") == 24105
    assert mem_total_mib("") is None
    (tmp_path / "kafka-server-4.4.0.jar").touch()
    (tmp_path / "kafka-clients-4.4.0.jar").touch()
    assert broker_version(tmp_path) == "4.4.0"
    assert broker_version(tmp_path / "missing").startswith("unknown")


def test_peak_rss_of_a_live_process_and_of_none() -> None:
    own = vm_hwm_kib(os.getpid())
    assert own is not None
    assert own > 1000
    assert vm_hwm_kib(2**22 + 12345) is None


def test_cli_sizes_smoke_and_overrides() -> None:
    args = parse_args(["--smoke", "--only", "router,ingest", "--router-items", "50",
                       "--e2e-rate", "12.5"])  # fmt: skip
    sizes = sizes_from(args)
    assert args.chosen == ["ingest", "router"]  # suite order, not argument order
    assert sizes.router_items == 50
    assert sizes.e2e_rate == 12.5
    assert sizes.ingest_payloads == Sizes.smoke().ingest_payloads
    full = sizes_from(parse_args(["--api-million"]))
    assert full.api_million is True
    assert full.api_items == 100_000
    assert parse_args([]).chosen == [
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


def test_cli_rejects_unknown_benchmark(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        parse_args(["--only", "ingest,nope"])
    assert "nope" in capsys.readouterr().err


def test_work_list_fill_projects_every_event(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fill.db'}"
    fill(url, 25, batch=10, quiet=True)
    engine = make_engine(url)
    with Session(engine) as session:
        total = session.exec(select(func.count()).select_from(Item)).one()
        held = session.exec(select(func.count()).where(Item.status == "held")).one()
    engine.dispose()
    assert total == 25
    assert held == 3  # every tenth event is held: n = 0, 10, 20


def _rows(url: str) -> list[tuple[object, ...]]:
    engine = make_engine(url)
    with Session(engine) as session:
        items = session.exec(select(Item).order_by(col(Item.change_seq))).all()
        out: list[tuple[object, ...]] = [
            (i.event_id, i.queue, i.status, i.routing_status, i.sort_at, i.hold_until,
             i.available_at, i.change_seq, i.payload, len(session.exec(
                 select(ItemEvent).where(ItemEvent.item_id == i.id)).all()))
            for i in items
        ]  # fmt: skip
    engine.dispose()
    return out


def test_bulk_fill_gives_the_rows_apply_routed_gives(tmp_path: Path) -> None:
    one, bulk = f"sqlite:///{tmp_path / 'one.db'}", f"sqlite:///{tmp_path / 'bulk.db'}"
    fill(one, 23, batch=7, quiet=True)
    fill_bulk(bulk, 23, batch=7)
    expected = _rows(one)
    assert len(expected) == 23
    assert _rows(bulk) == expected


def test_guidance_drafts_are_2000_characters_and_varied() -> None:
    from bench.guidance import DRAFT_CHARS, drafts

    texts = drafts(20)
    assert {len(t) for t in texts} == {DRAFT_CHARS}
    assert len(set(texts)) == 20
    args = parse_args(["--only", "guidance", "--guidance-drafts", "7"])
    assert args.chosen == ["guidance"]
    assert sizes_from(args).guidance_drafts == 7
