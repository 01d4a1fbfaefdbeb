"""Property: any damaged real payload gives items or the normaliser's own error naming a field.

Every checked-in fixture is a real platform payload; Hypothesis changes types, deletes keys
and nests values deeply, and `normalise()` must never raise anything but NormaliseError.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schemas import InboxItem, Platform
from schemas.registry import ChannelRegistry, load_registry
from services.common.settings import PathSettings
from services.ingest.domain import NormaliseError, normalise
from tests.unit.fuzz.mutations import mutated
from tests.unit.ingest.conftest import FIXTURES, load

# Deeply nested examples have huge reprs; Hypothesis warns about building them.
pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")
NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)
REGISTRY: ChannelRegistry = load_registry(PathSettings().registry_path)
# The channel a poller passes for the platforms whose payloads do not name one.
POLLED = {
    Platform.YOUTUBE: "youtube:healtheducationengland",
    Platform.FLICKR: "flickr:nhshealtheducationengland",
    Platform.LINKEDIN: "linkedin:health-education-england",
    Platform.INSTAGRAM: "instagram:nhshee",
    Platform.TWITTER: "twitter:ukfpo",
}
FIXTURE_NAMES = sorted(p.name for p in FIXTURES.glob("*.json"))


def platform_of(name: str) -> Platform:
    return Platform(name.split("_", 1)[0])


def check(platform: Platform, payload: Any, *, channel: str | None) -> None:
    """The property itself."""
    error: NormaliseError | None = None
    try:
        got = normalise(platform, payload, registry=REGISTRY, channel=channel, received_at=NOW)
    except NormaliseError as err:
        error = err
    if error is None:
        assert isinstance(got, list) and all(isinstance(i, InboxItem) for i in got)
        return
    assert error.platform is platform
    assert error.field and error.field in str(error)
    assert error.problem


def test_every_fixture_is_covered() -> None:
    assert {platform_of(n) for n in FIXTURE_NAMES} == set(Platform)


@pytest.mark.parametrize("name", FIXTURE_NAMES)
@given(data=st.data(), polled=st.booleans())
def test_damaged_fixture_gives_items_or_a_normalise_error(
    name: str, data: st.DataObject, polled: bool
) -> None:
    platform = platform_of(name)
    payload = data.draw(mutated(load(name)), label="payload")
    check(platform, payload, channel=POLLED.get(platform) if polled else None)


@pytest.mark.parametrize("platform", list(Platform))
@given(
    payload=st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
        ),
        max_leaves=20,
    )
)
def test_arbitrary_json_gives_items_or_a_normalise_error(platform: Platform, payload: Any) -> None:
    check(platform, payload, channel=POLLED.get(platform))


@pytest.mark.parametrize(
    ("name", "path", "value"),
    [
        ("linkedin_comments.json", ("elements", 0, "lastModified"), "yesterday"),
        ("facebook_feed_comment_add.json", ("entry", 0, "changes", 0, "value", "comment_id"), [1]),
        (
            "facebook_feed_comment_add.json",
            ("entry", 0, "changes", 0, "value", "message"),
            {"a": 1},
        ),
    ],
)
def test_known_crashes_name_the_part_being_read(
    name: str, path: tuple[str | int, ...], value: Any
) -> None:
    payload = load(name)
    parent = payload
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value
    platform = platform_of(name)
    with pytest.raises(NormaliseError) as caught:
        normalise(
            platform, payload, registry=REGISTRY, channel=POLLED.get(platform), received_at=NOW
        )
    assert str(path[0]) in caught.value.field
