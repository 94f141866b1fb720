"""A context built without a policy denies everything: forgetting one fails closed."""

from __future__ import annotations

from typing import Any

import pytest

from cdp.config import get_settings
from cdp.db.engine import AsyncWriteSession, Database
from cdp.errors import Forbidden, ForbiddenField, ForbiddenFilter
from cdp.principal import Principal
from schema import build_schema
from schema.context import Context
from schema.permissions import DENIED
from tests.factories import create_customer

ADMIN = Principal(subject="forgetful-entry-point", kind="jwt", roles=frozenset({"admin"}))


async def _execute(db: Database, query: str) -> dict[str, Any]:
    schema = build_schema(get_settings())
    async with db.read_session() as session:
        context = Context(
            session=session, settings=get_settings(), request_id=None, db=db, principal=ADMIN
        )
        result = await schema.execute(query, context_value=context)
    return {"data": result.data, "errors": [e.formatted for e in result.errors or ()]}


async def test_no_row_is_in_scope(db: Database, session: AsyncWriteSession) -> None:
    customer = await create_customer(session)
    await session.commit()
    body = await _execute(db, "{ customers(first: 5) { totalCount nodes { name } } }")
    assert body["data"] == {"customers": {"totalCount": 0, "nodes": []}}
    body = await _execute(db, f'{{ customer(customerNo: "{customer.customer_no}") {{ name }} }}')
    # A lookup by customer number is a filter on it, which nothing may use.
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN_FILTER"


async def test_no_field_filter_or_write_is_allowed(db: Database) -> None:
    async with db.read_session() as session:
        context = Context(
            session=session, settings=get_settings(), request_id=None, db=db, principal=ADMIN
        )
    policy = context.policy
    assert policy.project("Customer", {"name": "张三", "aum": 1}) == {"name": DENIED, "aum": DENIED}
    assert not policy.wants("Customer", "holdings")
    assert not policy.in_clear("Customer", "name")
    with pytest.raises(ForbiddenField):
        policy.require_read("Customer", "transactions")
    with pytest.raises(ForbiddenFilter):
        policy.require_filter("Customer", ["tier"])
    with pytest.raises(Forbidden):
        policy.require_write("Customer", [])


async def test_a_mutation_is_refused(db: Database) -> None:
    body = await _execute(
        db,
        'mutation { upsertCustomers(source: "crm", customers: [{sourceKey: "K1", name: "张三"}])'
        " { counts { created } } }",
    )
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
