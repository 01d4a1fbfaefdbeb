"""Response-time targets in the registry: shipped defaults, overrides and load-time checks."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from schemas.registry import DEFAULT_REGISTRY_PATH, ChannelRegistry, RegistryError, parse_registry


def _raw() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(DEFAULT_REGISTRY_PATH.read_text())
    return data


@pytest.mark.parametrize(
    ("queue", "first", "resolution"),
    [
        ("press", 4, 16),
        ("digital", 4, 16),
        ("local:kent-surrey-sussex", 8, 24),
        ("programme:ukfpo", 8, 24),
        ("triage", 4, 16),
        ("local:atlantis", 4, 16),  # unknown queues are measured as triage is
    ],
)
def test_shipped_targets(
    registry: ChannelRegistry, queue: str, first: int, resolution: int
) -> None:
    sla = registry.sla_for_queue(queue)
    assert (sla.first_response_hours, sla.resolution_hours, sla.warn_at) == (
        first,
        resolution,
        0.75,
    )


def test_a_queue_can_override_its_family() -> None:
    raw = _raw()
    raw["queues"]["press"]["sla"] = {"first_response_hours": 2, "resolution_hours": 8}
    reg = parse_registry(yaml.safe_dump(raw))
    assert reg.sla_for_queue("press").first_response_hours == 2
    assert reg.sla_for_queue("digital").first_response_hours == 4


def test_defaults_apply_when_the_file_has_no_sla_block() -> None:
    raw = _raw()
    del raw["sla_defaults"]
    reg = parse_registry(yaml.safe_dump(raw))
    assert reg.sla_for_queue("local:wessex").first_response_hours == 8


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda r: r["sla_defaults"]["press"].update(first_response_hours=0), "greater than 0"),
        (lambda r: r["sla_defaults"]["press"].update(warn_at=1.2), "less than 1"),
        (lambda r: r["sla_defaults"]["press"].update(resolution_hours=1), "resolution_hours"),
        (lambda r: r["sla_defaults"].update(night={"first_response_hours": 1,
                                                   "resolution_hours": 2}), "night"),
        (lambda r: r["queues"]["press"].update(sla={"first_response_hours": 1}), "resolution"),
    ],
)  # fmt: skip
def test_bad_targets_are_reported(mutate, message: str) -> None:  # type: ignore[no-untyped-def]
    raw = _raw()
    mutate(raw)
    with pytest.raises(RegistryError, match=message):
        parse_registry(yaml.safe_dump(raw))
