"""A root field that fails leaves its siblings' work, and the session, intact."""

from __future__ import annotations

import pytest

from cdp.db.engine import AsyncWriteSession
from tests.factories import create_customers
from tests.schema.conftest import Api

LIST = "customers(first: 3) { nodes { name holdings { units } } }"


@pytest.fixture
async def customers(session: AsyncWriteSession) -> None:
    await create_customers(session, 3)


@pytest.mark.usefixtures("customers")
@pytest.mark.parametrize(
    "query",
    [
        f'{{ customer(customerNo: "NOPE") {{ name }} {LIST} }}',
        f'{{ {LIST} customer(customerNo: "NOPE") {{ name }} }}',
    ],
)
async def test_a_failing_field_reports_only_its_own_error(api: Api, query: str) -> None:
    body = await api.raw(query)
    # customer is non-null, so its null reaches the root (GraphQL spec); the list,
    # cancelled mid-statement by graphql-core, adds no error of its own.
    assert body["data"] is None
    assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [
        (["customer"], "NOT_FOUND")
    ]
    # The session's connection survived the cancelled statement.
    after = await api.data("{ customers(first: 3) { nodes { name } } }")
    assert len(after["customers"]["nodes"]) == 3


@pytest.mark.usefixtures("customers")
async def test_a_nullable_field_fails_alone_and_the_others_return_data(api: Api) -> None:
    body = await api.raw(f'{{ a: {LIST} n: node(id: "bad") {{ id }} b: {LIST} }}')
    assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [
        (["n"], "BAD_USER_INPUT")
    ]
    assert body["data"]["n"] is None
    assert len(body["data"]["a"]["nodes"]) == len(body["data"]["b"]["nodes"]) == 3
