from __future__ import annotations

from typing import Any

import pytest
import yaml

from schemas.enums import ChannelKind, Platform
from schemas.registry import DEFAULT_REGISTRY_PATH, ChannelRegistry, RegistryError, parse_registry

LOCAL_HANDLES = [
    "@HEE_EMids", "@HEE_EoE", "@HEE_KSS", "@HEE_NCELondon", "@HEE_NEast", "@HEE_NWest",
    "@HEE_NWLondon", "@HEE_SLondon", "@HEE_SWest", "@HEE_TVValley", "@HEE_Wessex",
    "@HEE_WMidlands", "@HEE_YHumber",
]  # fmt: skip


def _raw() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(DEFAULT_REGISTRY_PATH.read_text())
    return data


@pytest.mark.parametrize(
    ("account", "queue"),
    [
        ("@nhs_healthedeng", "press"),
        ("facebook.com/nhshee", "press"),
        ("linkedin.com/company/health-education-england", "digital"),
        ("instagram.com/nhshee", "digital"),
        ("youtube.com/channel/HealthEducationEngland", "digital"),
        ("flickr.com/people/nhshealtheducationengland", "digital"),
        ("@HealthCareersUK", "programme:health-careers"),
        ("@UKFPO", "programme:ukfpo"),
        ("@HEE_KSS", "local:kent-surrey-sussex"),
        ("@hee_kss", "local:kent-surrey-sussex"),
        ("HTTPS://WWW.TWITTER.COM/HEE_KSS/", "local:kent-surrey-sussex"),
        ("@HEE_YHumber", "local:yorkshire-humber"),
    ],
)
def test_shipped_accounts_resolve_to_their_owner(
    registry: ChannelRegistry, account: str, queue: str
) -> None:
    channel = registry.resolve(account)
    assert channel is not None, account
    assert channel.queue == queue


def test_registry_ships_every_public_account(registry: ChannelRegistry) -> None:
    kinds = [c.spec.kind for c in registry]
    assert kinds.count(ChannelKind.CORPORATE) == 6
    assert kinds.count(ChannelKind.PROGRAMME) == 2
    assert kinds.count(ChannelKind.LOCAL) == 13
    for handle in LOCAL_HANDLES:
        channel = registry.resolve(handle, Platform.TWITTER)
        assert channel is not None and channel.queue.startswith("local:"), handle


def test_corporate_owner_is_a_configured_rule(registry: ChannelRegistry) -> None:
    linkedin = registry.get("linkedin:health-education-england")
    assert linkedin is not None
    assert linkedin.rule == "corporate-platform:linkedin"
    assert "digital" in linkedin.rule_text
    raw = _raw()
    raw["corporate_owners"]["linkedin"] = "press"
    moved = parse_registry(yaml.safe_dump(raw)).get("linkedin:health-education-england")
    assert moved is not None and moved.queue == "press"


def test_name_shared_across_platforms_needs_the_platform(registry: ChannelRegistry) -> None:
    assert registry.resolve("nhshee") is None
    fb = registry.resolve("nhshee", Platform.FACEBOOK)
    ig = registry.resolve("NHSHEE", Platform.INSTAGRAM)
    assert fb is not None and fb.id == "facebook:nhshee"
    assert ig is not None and ig.id == "instagram:nhshee"


def test_unknown_account_resolves_to_none(registry: ChannelRegistry) -> None:
    assert registry.resolve("@someone_else", Platform.TWITTER) is None


def test_unknown_queue_is_reported() -> None:
    raw = _raw()
    raw["channels"][8]["queue"] = "local:atlantis"
    with pytest.raises(RegistryError, match=r"twitter:hee_emids: unknown queue 'local:atlantis'"):
        parse_registry(yaml.safe_dump(raw))


def test_duplicate_channel_is_reported() -> None:
    raw = _raw()
    raw["channels"].append(dict(raw["channels"][0]))
    with pytest.raises(RegistryError, match="duplicate channel 'twitter:nhs_healthedeng'"):
        parse_registry(yaml.safe_dump(raw))


def test_same_account_on_two_channels_is_reported() -> None:
    raw = _raw()
    clone = dict(raw["channels"][0], id="twitter:other")
    raw["channels"].append(clone)
    with pytest.raises(RegistryError, match="claimed by both"):
        parse_registry(yaml.safe_dump(raw))


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda r: r["calendars"]["office"].update(timezone="Europe/Londres"), "unknown timezone"),
        (lambda r: r["calendars"]["office"]["weekly"].update(mon=["17:00-09:00"]), "ends before"),
        (lambda r: r["calendars"]["office"]["weekly"].update(mon=["9-5"]), "HH:MM-HH:MM"),
        (lambda r: r["calendars"]["office"]["weekly"].update(funday=["09:00-17:00"]), "weekday"),
        (lambda r: r["queues"]["press"].update(calendar="night"), "unknown calendar 'night'"),
    ],
)
def test_bad_calendar_is_reported(mutate, message: str) -> None:  # type: ignore[no-untyped-def]
    raw = _raw()
    mutate(raw)
    with pytest.raises(RegistryError, match=message):
        parse_registry(yaml.safe_dump(raw))


def test_local_channel_needs_a_local_queue() -> None:
    raw = _raw()
    raw["channels"][8]["queue"] = "press"
    with pytest.raises(RegistryError, match="local channel's queue must be local:<name>"):
        parse_registry(yaml.safe_dump(raw))


def test_registry_scales_to_hundreds_of_accounts() -> None:
    raw = _raw()
    for n in range(300):
        raw["channels"].append(
            {
                "id": f"twitter:extra_{n}",
                "platform": "twitter",
                "kind": "local",
                "name": f"Extra {n}",
                "handle": f"@extra_{n}",
                "queue": "local:wessex",
            }
        )
    reg = parse_registry(yaml.safe_dump(raw))
    assert len(reg) == 321
    found = reg.resolve("@EXTRA_299")
    assert found is not None and found.queue == "local:wessex"


def test_not_yaml_is_reported() -> None:
    with pytest.raises(RegistryError, match="not valid YAML"):
        parse_registry("channels: [", source="x.yaml")
