"""Generate the checked-in JSON Schema files from the models: `python -m schemas.generate`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from schemas.envelope import Event
from schemas.topics import ALL_EVENTS

SCHEMA_DIR = Path(__file__).resolve().parent / "jsonschema"


def schema_file(model: type[Event]) -> Path:
    """Where a model's JSON Schema is checked in."""
    version = model.model_fields["schema_version"].default
    return SCHEMA_DIR / f"{model.SCHEMA_NAME}.v{version}.json"


def render(model: type[Event]) -> str:
    """The JSON Schema text for a model, stable across runs."""
    schema = model.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = model.schema_label()
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> int:
    """Write every schema file; print which changed."""
    SCHEMA_DIR.mkdir(exist_ok=True)
    for model in ALL_EVENTS:
        path = schema_file(model)
        text = render(model)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            typer.echo(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
