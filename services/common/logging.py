"""One logging set-up for every process."""

from __future__ import annotations

import logging
import sys


def configure_logging(level: str = "INFO") -> None:
    """Log to stderr with the logger name, so interleaved service logs stay readable."""
    logging.basicConfig(
        level=level.upper(),
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        force=True,
    )
    # The Kafka clients log every refused connection while a broker starts; callers report
    # unavailability themselves, so only the clients' warnings about real trouble remain.
    quiet = max(logging.WARNING, logging.getLogger().level)
    # Alembic's INFO lines (a dozen per CLI call, migrations or not) only at DEBUG;
    # `switchboard api migrate --verbose` shows them on request.
    for noisy in ("kafka", "aiokafka", "httpx", "httpcore", "alembic"):
        logging.getLogger(noisy).setLevel(quiet)
    for chatty in ("kafka.net", "kafka.conn", "kafka.client_async", "aiokafka.conn"):
        logging.getLogger(chatty).setLevel(logging.CRITICAL)
