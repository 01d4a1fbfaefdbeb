"""The one error normalisers raise: which platform, which field, what was wrong."""

from __future__ import annotations

from schemas import Platform


class NormaliseError(ValueError):
    """A payload is malformed or unrecognised; the message names platform, field and problem."""

    def __init__(self, platform: Platform, field: str, problem: str) -> None:
        self.platform = platform
        self.field = field
        self.problem = problem
        super().__init__(f"{platform.value}: {field}: {problem}")


class UnknownPlatformError(ValueError):
    """The platform name is not one Switchboard ingests."""

    def __init__(self, name: str) -> None:
        self.name = name
        choices = ", ".join(p.value for p in Platform)
        super().__init__(f"unknown platform {name!r} (use one of: {choices})")
