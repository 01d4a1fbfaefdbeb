"""What every benchmark is handed: sizes, the broker, a scratch folder."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Sizes:
    """Every size a benchmark uses; --smoke shrinks them, flags override them."""

    ingest_payloads: int = 3000
    router_items: int = 10_000
    e2e_rate: float = 200.0
    e2e_seconds: float = 60.0
    release_items: int = 10_000
    api_items: int = 100_000
    api_seconds: float = 10.0
    api_clients: int = 50
    api_million: bool = False
    guidance_drafts: int = 2000
    publisher_burst: int = 2000
    publisher_paced: int = 200
    rebuild_events: int = 20_000
    web_items: int = 100_000

    @classmethod
    def smoke(cls) -> Sizes:
        return cls(
            ingest_payloads=60,
            router_items=200,
            e2e_rate=20.0,
            e2e_seconds=2.0,
            release_items=200,
            api_items=500,
            api_seconds=1.0,
            api_clients=5,
            guidance_drafts=40,
            publisher_burst=30,
            publisher_paced=10,
            rebuild_events=400,
            web_items=500,
        )


@dataclass
class Context:
    """Handed to every benchmark."""

    bootstrap: str
    scratch: Path
    sizes: Sizes
    smoke: bool = False
    postgres_url: str | None = None
    # Peak RSS (KiB) of every service process any benchmark started, for the memory report.
    peaks: dict[str, int] = field(default_factory=dict)

    def record_peak(self, name: str, kib: int | None) -> None:
        if kib is not None:
            self.peaks[name] = max(self.peaks.get(name, 0), kib)
