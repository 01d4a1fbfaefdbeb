"""`switchboard sandbox serve`: the local platform sandbox, loopback only."""

from __future__ import annotations

import ipaddress

import typer

app = typer.Typer(help="Our own stand-in for the six platforms' reply APIs (not the platforms).")


@app.command("serve")
def serve(
    host: str = typer.Option("127.0.0.1", help="Loopback address to bind."),
    port: int = typer.Option(8002, help="Port."),
) -> None:
    """Serve the sandbox until Ctrl-C."""
    if host != "localhost" and not ipaddress.ip_address(host).is_loopback:
        raise typer.BadParameter("the sandbox binds to loopback addresses only")
    import uvicorn

    from services.sandbox.app import create_app
    from services.sandbox.settings import SandboxSettings

    uvicorn.run(create_app(SandboxSettings()), host=host, port=port, log_level="warning")
