"""Validation at the edges: decode bytes or dicts into a model, with errors that say which."""

from __future__ import annotations

import json
from typing import TypeVar

from pydantic import ValidationError

from schemas.envelope import Event

E = TypeVar("E", bound=Event)


class SchemaValidationError(ValueError):
    """A payload does not match the named event schema and version."""

    def __init__(self, model: type[Event], problems: list[str]) -> None:
        self.schema = model.schema_label()
        self.problems = problems
        super().__init__(f"invalid {self.schema}: " + "; ".join(problems))


_MAX_PROBLEMS = 20  # a payload with thousands of bad fields still gives a readable error


def _problems(err: ValidationError) -> list[str]:
    out = []
    errors = err.errors(include_url=False)
    for e in errors[:_MAX_PROBLEMS]:
        where = ".".join(str(p) for p in e["loc"]) or "<root>"
        out.append(f"{where}: {e['msg']}")
    if len(errors) > _MAX_PROBLEMS:
        out.append(f"and {len(errors) - _MAX_PROBLEMS} more")
    return out


def validate(payload: bytes | str | dict[str, object], model: type[E]) -> E:
    """Parse and validate `payload` as `model`, raising SchemaValidationError naming it."""
    try:
        if isinstance(payload, dict):
            return model.model_validate(payload)
        return model.model_validate_json(payload)
    except ValidationError as err:
        problems = _problems(err)
        if isinstance(payload, bytes | str):
            try:
                json.loads(payload)
            except RecursionError:
                problems = ["payload is nested too deeply"]
            except ValueError:
                problems = ["payload is not valid JSON"]
        raise SchemaValidationError(model, problems) from err
