"""Fuzzed operations of the live schema, per role: typed errors only, no denied value.

hypothesis-graphql writes valid queries and mutations (arguments of every kind,
NUL bytes and extreme numbers included) from the schema the app serves; each is
sent over HTTP as one role would send it, against the small world every role can
see a customer of. Every answer must carry only typed errors, never
``INTERNAL_SERVER_ERROR`` or a code-less one, and must not contain the clear value
of any field the policy denies or masks to that role.

The short profile (``CDP_FUZZ_EXAMPLES`` unset: 30 operations per role, a fixed
seed) runs with the suite; a long, random one is a command::

    CDP_FUZZ_EXAMPLES=5000 .venv/bin/pytest tests/schema/permissions/test_fuzz.py
"""

from __future__ import annotations

import asyncio
import json
import os
from datetime import timedelta, timezone
from typing import Any

import hypothesis_graphql
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import nodes

from cdp.config import get_settings
from policies.compiled import CompiledPolicy
from policies.known_fields import known_fields
from policies.language import Decision
from policies.lines import read_policy
from schema import build_schema
from tests.schema.conftest import Api
from tests.schema.permissions.conftest import World

ROLES = ("admin", "advisor", "frontend", "marketer", "partner", "auditor", "source_system")
EXAMPLES = int(os.environ.get("CDP_FUZZ_EXAMPLES", "30"))
# The suite's profile is reproducible; a long run explores afresh each time.
SHORT = "CDP_FUZZ_EXAMPLES" not in os.environ

# Every code a caller may be answered with; anything else (INTERNAL_SERVER_ERROR,
# UNAVAILABLE, TIMEOUT on a world of a few rows, no code at all) is a finding.
TYPED = frozenset(
    {
        "GRAPHQL_VALIDATION_FAILED",
        "BAD_USER_INPUT",
        "QUERY_TOO_COMPLEX",
        "FORBIDDEN_FIELD",
        "FORBIDDEN_FILTER",
        "FORBIDDEN",
        "NOT_FOUND",
        "CONFLICT",
        "PURPOSE_REQUIRED",
        # A rule's own errors (tag and segment rules), each with line and column.
        "RULE_SYNTAX",
        "RULE_TYPE",
        "UNKNOWN_ATTRIBUTE",
        "RULE_TOO_COMPLEX",
        "TAG_CYCLE",
    }
)

# Root fields fuzzed: all but the policy mutation, which would change what the
# other roles are checked against halfway through.
_SCHEMA = build_schema(get_settings())._schema
FIELDS = [
    *(_SCHEMA.query_type.fields if _SCHEMA.query_type else ()),
    *(
        f
        for f in (_SCHEMA.mutation_type.fields if _SCHEMA.mutation_type else ())
        if f != "updatePolicy"
    ),
]
_DAY = timedelta(hours=23, minutes=59)
SCALARS = {
    "Date": st.dates().map(nodes.String),
    # Offsets up to a day either way, at the calendar's edges too.
    "DateTime": st.datetimes(
        timezones=st.timedeltas(min_value=-_DAY, max_value=_DAY).map(timezone)
    ).map(lambda d: nodes.String(d.isoformat())),
    "Decimal": st.decimals().map(nodes.String),
    "JSON": st.text().map(nodes.String),
}
OPERATIONS = hypothesis_graphql.from_schema(_SCHEMA, fields=FIELDS, custom_scalars=SCALARS)

POLICY = CompiledPolicy.from_lines(read_policy(), known_fields())


def _protected_values(role: str, world: World) -> dict[str, str]:
    """The world's first customer's clear values of the fields ``role`` may not read
    in clear (denied or masked)."""
    first = world.first
    planted = {
        "name": first.name,
        "phone": first.phone,
        "email": first.email,
        "idNumber": "110101199003074514",
        "customerNo": first.customer_no,
        "annualIncome": str(first.annual_income),
    }
    plan = POLICY.plan([role])
    return {
        f: str(v)
        for f, v in planted.items()
        if v is not None and plan.decision("Customer", f, "read") is not Decision.ALLOW
    }


def _findings(body: dict[str, Any], protected: dict[str, str]) -> list[str]:
    found = [
        f"untyped error {error}"
        for error in body.get("errors") or ()
        if (error.get("extensions") or {}).get("code") not in TYPED
    ]
    text = json.dumps(body, ensure_ascii=False)
    found += [f"{field} in clear" for field, value in protected.items() if value in text]
    return found


@pytest.mark.parametrize("role", ROLES)
async def test_fuzzed_operations_answer_typed_errors_and_keep_denied_values(
    role: str, as_role: Any, world: World
) -> None:
    api: Api = await as_role(role, purpose="fuzzing")
    protected = _protected_values(role, world)
    loop = asyncio.get_running_loop()

    @settings(
        max_examples=EXAMPLES,
        deadline=timedelta(seconds=10),
        derandomize=SHORT,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(query=OPERATIONS)
    def operation(query: str) -> None:
        response = asyncio.run_coroutine_threadsafe(
            api.client.post("/graphql", json={"query": query}), loop
        ).result()
        assert response.status_code in (200, 400), (response.status_code, query)
        findings = _findings(response.json(), protected)
        assert not findings, (findings, query)

    # Hypothesis drives a synchronous test; it runs beside the event loop, which
    # serves the requests it sends.
    await asyncio.to_thread(operation)
