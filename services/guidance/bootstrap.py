"""Build the reply checker from settings; tests pass a registry, rules or clock of their own."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from schemas.registry import ChannelRegistry, load_registry
from services.common.clock import utc_now
from services.guidance.checker import GuidanceChecker
from services.guidance.domain.rules import Rules
from services.guidance.loader import compile_rules, load_guidance
from services.guidance.settings import GuidanceServiceSettings


def build_checker(
    settings: GuidanceServiceSettings | None = None,
    *,
    registry: ChannelRegistry | None = None,
    rules: Rules | None = None,
    clock: Callable[[], datetime] | None = None,
) -> GuidanceChecker:
    """The checker: lists loaded and compiled once, the registry, and the wall clock.

    Raises GuidanceConfigError or RegistryError when a file is missing or invalid.
    """
    settings = settings or GuidanceServiceSettings()
    if rules is None:
        rules = compile_rules(load_guidance(settings.guidance.config_path))
    if registry is None:
        registry = load_registry(settings.paths.registry_path)
    return GuidanceChecker(rules=rules, registry=registry, clock=clock or utc_now)
