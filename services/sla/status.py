"""/ready and /metrics for the SLA service, on a small stdlib HTTP server (loopback)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from schemas.work import SlaTarget
from services.sla.timer import SlaTimer

logger = logging.getLogger(__name__)


def render_metrics(timer: SlaTimer, *, ready: bool) -> str:
    """Prometheus text exposition of the timer's counters and the book's state."""
    c = timer.counters
    lines = [
        "# HELP switchboard_sla_ready 1 once the log was read to its end at start.",
        "# TYPE switchboard_sla_ready gauge",
        f"switchboard_sla_ready {int(ready)}",
        "# HELP switchboard_sla_records_total Records folded from routed and work topics.",
        "# TYPE switchboard_sla_records_total counter",
        f"switchboard_sla_records_total {c.records}",
        "# HELP switchboard_sla_records_skipped_total Records that failed validation.",
        "# TYPE switchboard_sla_records_skipped_total counter",
        f"switchboard_sla_records_skipped_total {c.skipped}",
        "# HELP switchboard_sla_pending_items Items whose targets can still warn or breach.",
        "# TYPE switchboard_sla_pending_items gauge",
        f"switchboard_sla_pending_items {len(timer.pending)}",
        "# HELP switchboard_sla_emitted_total Warnings and breaches this process emitted.",
        "# TYPE switchboard_sla_emitted_total counter",
    ]
    for (queue, target, action), n in sorted(c.by_queue.items()):
        lines.append(
            f'switchboard_sla_emitted_total{{queue="{queue}",target="{target}",'
            f'type="{action}"}} {n}'
        )
    lines += [
        "# HELP switchboard_sla_items Items in the log with a warning or breach, by target.",
        "# TYPE switchboard_sla_items gauge",
    ]
    for target in SlaTarget:
        for action in ("sla_warning", "sla_breached"):
            n = sum((target, action) in i.emitted for i in timer.book.items.values())
            lines.append(f'switchboard_sla_items{{target="{target}",type="{action}"}} {n}')
    return "\n".join(lines) + "\n"


class StatusServer:
    """Serves /ready (200 once caught up, else 503) and /metrics in a daemon thread."""

    def __init__(self, *, host: str, port: int, timer: SlaTimer, ready: Callable[[], bool]) -> None:
        lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with lock:
                    is_ready = ready()
                    if self.path == "/ready":
                        code, body = (200, "ready\n") if is_ready else (503, "catching up\n")
                    elif self.path == "/metrics":
                        code, body = 200, render_metrics(timer, ready=is_ready)
                    else:
                        code, body = 404, "not found\n"
                data = body.encode()
                self.send_response(code)
                self.send_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: object) -> None:
                # Probes every half second: access lines go to debug, not the run's output.
                logger.debug(format, *args)

        self.lock = lock
        self.server = ThreadingHTTPServer((host, port), Handler)
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> None:
        """Start serving."""
        self._thread.start()

    def stop(self) -> None:
        """Stop serving."""
        self.server.shutdown()
        self.server.server_close()
