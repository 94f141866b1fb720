"""A write is checked before anything else, whatever the batch holds, and a refused
request stores nothing.

Every field of the ``Mutation`` type is walked, so a mutation added later is covered
without touching this file: each role that may write nothing, sent an empty and a
one-item batch, gets ``FORBIDDEN`` and no table of the database changes (idempotency
keys, import runs, quarantine, customers, the audit trail, …). The callers carry a
``sources`` claim naming the source they send, so what refuses them is the missing
write right, not the source binding.
"""

from __future__ import annotations

from typing import Any

import pytest
from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    Undefined,
)

from cdp.auth.base import KNOWN_ROLES
from cdp.db.engine import Database
from policies.compiled import CompiledPolicy
from policies.known_fields import known_fields
from policies.lines import read_policy
from schema import build_schema
from tests.conftest import AppClient
from tests.ingest.helpers import person
from tests.schema.mutations.helpers import (
    UPSERT_CUSTOMERS,
    data,
    error_code,
    fingerprint,
    for_sources,
    send,
    statuses,
)

SOURCE = "core_banking"
KEY = "squatted-key"
POLICY = CompiledPolicy.from_lines(read_policy(), known_fields())
SEGMENT_TYPES = ("Segment",)


def _writes_beyond_segments(role: str) -> bool:
    writable = POLICY.plan([role]).writable
    return any(fields for t, fields in writable.items() if t not in SEGMENT_TYPES)


# Roles that may write nothing but segments (marketers define them): every other
# mutation must refuse them; their segment mutations are tested in test_segments.py.
READ_ONLY = [role for role in KNOWN_ROLES if not _writes_beyond_segments(role)]
SCALARS: dict[str, object] = {
    "String": "1",
    "ID": "1",
    "Int": 1,
    "Float": 1.0,
    "Boolean": True,
    "Decimal": "1",
    "Date": "2020-01-01",
    "DateTime": "2020-01-01T00:00:00Z",
}
# Arguments whose value decides whether a sound check would let the call through.
NAMED: dict[str, object] = {"source": SOURCE, "idempotencyKey": KEY}


def _schema() -> GraphQLSchema:
    return build_schema()._schema


def _mutation_fields() -> list[str]:
    mutation = _schema().mutation_type
    assert isinstance(mutation, GraphQLObjectType)
    return sorted(mutation.fields)


def _type_name(gtype: GraphQLInputType) -> str:
    if isinstance(gtype, GraphQLNonNull):
        return f"{_type_name(gtype.of_type)}!"
    if isinstance(gtype, GraphQLList):
        return f"[{_type_name(gtype.of_type)}]"
    return gtype.name


def _sample(gtype: GraphQLInputType, batch: bool) -> object:
    """A value of ``gtype``: lists empty unless ``batch``, input objects with every
    required field filled."""
    if isinstance(gtype, GraphQLNonNull):
        return _sample(gtype.of_type, batch)
    if isinstance(gtype, GraphQLList):
        return [_sample(gtype.of_type, batch)] if batch else []
    if isinstance(gtype, GraphQLInputObjectType):
        return {
            name: _sample(field.type, batch)
            for name, field in gtype.fields.items()
            if isinstance(field.type, GraphQLNonNull) and field.default_value is Undefined
        }
    if isinstance(gtype, GraphQLEnumType):
        return next(iter(gtype.values))
    assert isinstance(gtype, GraphQLScalarType)
    return SCALARS[gtype.name]


def _argument(name: str, argument: GraphQLArgument, batch: bool) -> object:
    if name in NAMED:
        return NAMED[name]
    gtype = argument.type
    inner = gtype.of_type if isinstance(gtype, GraphQLNonNull) else gtype
    if isinstance(inner, GraphQLList) or isinstance(gtype, GraphQLNonNull):
        return _sample(gtype, batch)
    return None


def request(field_name: str, batch: bool) -> tuple[str, dict[str, Any]]:
    """A document calling the mutation ``field_name`` and its variables."""
    mutation = _schema().mutation_type
    assert mutation is not None
    arguments = mutation.fields[field_name].args
    variables = {n: _argument(n, a, batch) for n, a in arguments.items()}
    variables = {n: v for n, v in variables.items() if v is not None}
    declared = ", ".join(f"${n}: {_type_name(arguments[n].type)}" for n in variables)
    passed = ", ".join(f"{n}: ${n}" for n in variables)
    head = f"mutation({declared})" if declared else "mutation"
    call = f"{field_name}({passed})" if passed else field_name
    return f"{head} {{ {call} {{ __typename }} }}", variables


def test_the_walk_has_read_only_roles_and_every_mutation() -> None:
    # Marketers author tags (TagDefinition, manual Tag values): not read-only.
    assert set(READ_ONLY) == {"advisor", "auditor", "frontend", "partner"}
    fields = _mutation_fields()
    assert {"upsertCustomers", "setConsents", "updatePolicy"} <= set(fields)
    document, variables = request("upsertCustomers", batch=False)
    assert variables == {"source": SOURCE, "customers": [], "idempotencyKey": KEY}
    assert "upsertCustomers(" in document


@pytest.mark.parametrize("role", READ_ONLY)
async def test_read_only_roles_may_call_no_mutation_and_store_nothing(
    role: str, app_client: AppClient, db: Database
) -> None:
    refused = []
    async with app_client(
        roles=[role],
        advisor_id=1 if role == "advisor" else None,
        subject=f"test-{role}",
        claims={"sources": [SOURCE]},
        rate_limit_enabled=False,
    ) as client:
        writes_segments = bool(POLICY.plan([role]).writable.get("Segment"))
        for field_name in _mutation_fields():
            if writes_segments and field_name.endswith("Segment"):
                continue
            for batch in (False, True):
                document, variables = request(field_name, batch)
                before = await fingerprint(db)
                response = await client.post(
                    "/graphql", json={"query": document, "variables": variables}
                )
                body = response.json()
                changed = [t for t, d in (await fingerprint(db)).items() if before.get(t) != d]
                codes = [e.get("extensions", {}).get("code") for e in body.get("errors", [])]
                if body.get("data") not in (None, {field_name: None}) or codes != ["FORBIDDEN"]:
                    refused.append(f"{field_name} batch={batch}: answered {body}")
                if changed:
                    refused.append(f"{field_name} batch={batch}: changed {changed}")
    assert refused == []


async def test_a_key_sent_in_a_refused_call_stays_free(app_client: AppClient) -> None:
    async with app_client(
        roles=["marketer"], subject="test-marketer", claims={"sources": [SOURCE]}
    ) as marketer:
        squat = await send(marketer, UPSERT_CUSTOMERS, [], source=SOURCE, key=KEY)
    assert error_code(squat) == "FORBIDDEN"

    async with app_client(
        roles=["source_system"], subject="core", claims={"sources": [SOURCE]}
    ) as source:
        rows = [person("CB1", "张三")]
        real = await send(source, for_sources(UPSERT_CUSTOMERS), rows, source=SOURCE, key=KEY)
    assert statuses(data(real)) == ["CREATED"]
