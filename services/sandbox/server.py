"""The sandbox served from a background thread (tests and benchmarks run it in-process)."""

from __future__ import annotations

import threading
import time
from types import TracebackType

import uvicorn

from services.sandbox.app import create_app
from services.sandbox.settings import SandboxSettings
from services.sandbox.state import SandboxState


class SandboxServer:
    """`with SandboxServer(settings) as sb: sb.url` serves on a free loopback port."""

    def __init__(self, settings: SandboxSettings, *, port: int = 0) -> None:
        self.state = SandboxState(max_recorded=settings.max_recorded)
        app = create_app(settings, state=self.state)
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                lifespan="off", access_log=False)  # fmt: skip
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="sandbox", daemon=True)
        self.url = ""

    def __enter__(self) -> SandboxServer:
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the sandbox did not start")
            time.sleep(0.02)
        port = self._server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
