"""The one error normalisers raise: which platform, which field, what was wrong."""

from __future__ import annotations

from types import TracebackType

from schemas import Platform

# What a normaliser's code raises when a payload of the right platform has fields of the
# wrong type (a string where an object was expected, a list where a number was...).
UNEXPECTED_SHAPE = (
    AttributeError,
    TypeError,
    KeyError,
    IndexError,
    ValueError,
    OverflowError,
    RecursionError,
)
_DETAIL_CHARS = 300


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


def _innermost_path(tb: TracebackType | None) -> str:
    """The `path` the deepest normaliser frame was reading: where in the payload it broke.

    Every normaliser function takes the JSON path of the part it reads as `path`, so the
    traceback names the field without each accessor having to guard every type.
    """
    found = "<root>"
    while tb is not None:
        frame = tb.tb_frame
        if frame.f_globals.get("__name__", "").startswith(__package__ or "services.ingest"):
            value = frame.f_locals.get("path")
            if isinstance(value, str) and value:
                found = value
        tb = tb.tb_next
    return found


def unexpected_shape(platform: Platform, err: BaseException) -> NormaliseError:
    """The NormaliseError for an exception a normaliser did not anticipate."""
    if isinstance(err, RecursionError):
        detail = "nested too deeply"
    else:
        text = str(err)
        if len(text) > _DETAIL_CHARS:
            text = text[:_DETAIL_CHARS] + "..."
        detail = f"unexpected type or shape ({type(err).__name__}: {text})"
    return NormaliseError(platform, _innermost_path(err.__traceback__), detail)
