"""Hypothesis strategies that damage real payloads: change types, delete keys, nest deeply."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from hypothesis import strategies as st

Path = tuple[str | int, ...]

# Values of every JSON type (and Python's json extras NaN/Infinity), including the awkward
# ones: huge integers, digit strings, blanks, control and astral characters.
ANY_VALUE: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["", " ", "0", "-1", "1e400", "1_0", "\u0662\u0663", "\x00", "\U0010ffff"]),
    st.text(max_size=40),
    st.lists(st.one_of(st.integers(), st.text(max_size=5), st.none()), max_size=3),
    st.dictionaries(st.text(max_size=6), st.one_of(st.integers(), st.text(max_size=5)), max_size=3),
)


def paths(doc: Any, *, max_depth: int = 24) -> Iterator[Path]:
    """Every path into `doc` down to `max_depth`, the root included (documents may be deep)."""
    stack: list[tuple[Path, Any]] = [((), doc)]
    while stack:
        at, node = stack.pop()
        yield at
        if len(at) >= max_depth:
            continue
        if isinstance(node, dict):
            stack.extend(((*at, k), v) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend(((*at, i), v) for i, v in enumerate(node))


def _replace(doc: Any, path: Path, value: Any) -> Any:
    if not path:
        return value
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value
    return doc


def _delete(doc: Any, path: Path) -> Any:
    if not path:
        return {}
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    del parent[path[-1]]
    return doc


def _get(doc: Any, path: Path) -> Any:
    for step in path:
        doc = doc[step]
    return doc


def nested(value: Any, depth: int, *, as_list: bool) -> Any:
    """`value` wrapped `depth` times in one-element lists or {"x": ...} objects."""
    for _ in range(depth):
        value = [value] if as_list else {"x": value}
    return value


@st.composite
def mutated(draw: st.DrawFn, original: Any, *, max_changes: int = 3) -> Any:
    """`original` with one to `max_changes` damaging changes at random places."""
    doc = copy.deepcopy(original)
    for _ in range(draw(st.integers(min_value=1, max_value=max_changes))):
        path = draw(st.sampled_from(list(paths(doc))))
        change = draw(st.sampled_from(["retype", "delete", "nest", "deep"]))
        if change == "retype":
            doc = _replace(doc, path, draw(ANY_VALUE))
        elif change == "delete":
            doc = _delete(doc, path)
        else:
            depth = (
                draw(st.integers(1, 8)) if change == "nest" else draw(st.sampled_from([500, 5000]))
            )
            as_list = draw(st.booleans())
            doc = _replace(doc, path, nested(_get(doc, path), depth, as_list=as_list))
    return doc
