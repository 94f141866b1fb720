"""The mutations' part of the schema: described everywhere, inputs mirror the import formats."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
)

from cdp.ingest.columns import COLUMNS
from schema import build_schema
from schema.mutations.inputs import (
    ConsentInput,
    CustomerInput,
    HoldingInput,
    InteractionInput,
    TransactionInput,
)


def _named(t: Any) -> Any:
    while isinstance(t, GraphQLNonNull | GraphQLList):
        t = t.of_type
    return t


def _reachable(schema: GraphQLSchema) -> dict[str, Any]:
    """Every object, input and enum type reachable from Mutation."""
    mutation = schema.mutation_type
    assert mutation is not None
    seen: dict[str, Any] = {}
    todo: list[Any] = [mutation]
    while todo:
        t = _named(todo.pop())
        if t.name in seen or not isinstance(
            t, GraphQLObjectType | GraphQLInputObjectType | GraphQLEnumType
        ):
            continue
        seen[t.name] = t
        if isinstance(t, GraphQLObjectType):
            for f in t.fields.values():
                todo.append(f.type)
                todo.extend(a.type for a in f.args.values())
        elif isinstance(t, GraphQLInputObjectType):
            todo.extend(f.type for f in t.fields.values())
    return seen


def test_every_type_field_argument_and_value_is_described() -> None:
    missing: list[str] = []
    for name, t in _reachable(build_schema()._schema).items():
        if not t.description:
            missing.append(name)
        if isinstance(t, GraphQLEnumType):
            missing += [f"{name}.{v}" for v, d in t.values.items() if not d.description]
            continue
        for fname, f in t.fields.items():
            if not f.description:
                missing.append(f"{name}.{fname}")
            for aname, a in getattr(f, "args", {}).items():
                if not a.description:
                    missing.append(f"{name}.{fname}({aname})")
    assert missing == []


@pytest.mark.parametrize(
    ("kind", "input_type"),
    [
        ("customers", CustomerInput),
        ("holdings", HoldingInput),
        ("transactions", TransactionInput),
        ("events", InteractionInput),
        ("consents", ConsentInput),
    ],
)
def test_inputs_carry_exactly_the_import_columns(kind: str, input_type: type) -> None:
    names = {f.name for f in dataclasses.fields(input_type)}
    assert names == set(COLUMNS[kind].all)
    required = {
        f.name
        for f in dataclasses.fields(input_type)
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    }
    assert required == set(COLUMNS[kind].required)
