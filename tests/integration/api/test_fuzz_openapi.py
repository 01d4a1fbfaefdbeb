"""Schema-driven fuzzing of the app's own OpenAPI document: no 500s, no schema violations.

In-process (ASGI), as an admin, a team (press) and a lead (kss), over a database seeded with
items in both callers' scopes so that item routes meet real items; every operation, every
action route included, is tried on SQLite and PostgreSQL with a bounded number of examples.
"""

from __future__ import annotations

import itertools
import uuid
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import checks
from sqlmodel import Session

from schemas.enums import RoutedStatus
from services.api.models import ProjectorOffset
from tests.fixtures.api.events import inbox_item, routed
from tests.integration.api.conftest import Api


@pytest.fixture
def crosses_broker() -> bool:
    """Nothing in this module reads a topic: no relay, no broker."""
    return False


SEEDED = [
    inbox_item(n, channel=c)
    for n, c in enumerate(["twitter:nhs_healthedeng"] * 3 + ["twitter:hee_kss"] * 2)
]

MAX_EXAMPLES = 25

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
]


@pytest.fixture
def fuzzed(api: Api) -> Api:
    api.route(*(routed(i) for i in SEEDED[:4]), routed(SEEDED[4], RoutedStatus.HELD))
    # /readyz answers 503 by design until the projector has recorded its lag.
    with Session(api.engine) as session:
        now = api.clock.now
        session.add(
            ProjectorOffset(topic="t", partition=0, position=1, end_offset=1, updated_at=now)
        )
        session.commit()
    return api


def _fix_item_id(case: schemathesis.Case[Any]) -> None:
    item_id = case.path_parameters.get("item_id") if case.path_parameters else None
    if item_id is None:
        return
    try:
        n = uuid.UUID(str(item_id)).int % (len(SEEDED) + 1)
    except ValueError:
        return
    if n < len(SEEDED):  # mostly real items, sometimes a missing one
        case.path_parameters["item_id"] = str(SEEDED[n].event_id)


ACTIONS = {"claim", "unclaim", "reply", "resolve", "reassign", "escalate"}


@pytest.mark.parametrize("who", ["admin", "press", "kss"])
def test_openapi_fuzz(fuzzed: Api, who: str) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", fuzzed.client.app)
    headers = fuzzed.auth(who)
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) >= 16
    paths = {(op.method.upper(), op.path) for op in operations}
    assert {("POST", f"/v1/items/{{item_id}}/{a}") for a in ACTIONS} <= paths

    modes = (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)
    for operation, mode in itertools.product(operations, modes):

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def run(case: schemathesis.Case[Any]) -> None:
            _fix_item_id(case)
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            run()
        except Unsatisfiable:
            # Nothing to make invalid (e.g. /healthz has no parameters): nothing to test.
            assert mode is schemathesis.GenerationMode.NEGATIVE
