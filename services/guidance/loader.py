"""Read the guidance lists and the packaged swear-word list, and compile them once."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError

from services.guidance.domain.config import GuidanceConfig
from services.guidance.domain.rules import Rules

DEFAULT_GUIDANCE_PATH = Path(__file__).resolve().parents[2] / "deploy" / "config" / "guidance.yaml"


class GuidanceConfigError(ValueError):
    """The guidance file is missing, unreadable or invalid; the message names the entry."""


def parse_guidance(text: str, *, source: str = "<string>") -> GuidanceConfig:
    """Parse and validate guidance YAML text."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise GuidanceConfigError(f"{source}: not valid YAML: {err}") from err
    try:
        return GuidanceConfig.model_validate(raw)
    except ValidationError as err:
        lines = [
            f"{'.'.join(str(p) for p in e['loc']) or '<file>'}: {e['msg']}"
            for e in err.errors(include_url=False)
        ]
        raise GuidanceConfigError(
            f"{source}: guidance config is invalid:\n  - " + "\n  - ".join(lines)
        ) from err


def load_guidance(path: Path | str = DEFAULT_GUIDANCE_PATH) -> GuidanceConfig:
    """Load and validate the guidance file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as err:
        raise GuidanceConfigError(f"cannot read guidance config {p}: {err.strerror}") from err
    return parse_guidance(text, source=str(p))


def packaged_profanity() -> list[str]:
    """better-profanity's word list, read as data (its matcher is not used: ours is whole-word)."""
    text = resources.files("better_profanity").joinpath("profanity_wordlist.txt")
    return [w.strip() for w in text.read_text(encoding="utf-8").splitlines() if w.strip()]


def compile_rules(config: GuidanceConfig) -> Rules:
    """The compiled rules for `config` with the packaged word list."""
    return Rules.build(config, profanity_words=packaged_profanity())
