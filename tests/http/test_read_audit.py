"""Sensitive reads over HTTP leave one audit row each; partners must state a purpose.

The app's audit writer commits through the engine's pool, outside the test's
rolled-back transaction, so rows are read back through the engine once the app
has shut down (which writes everything still buffered). Each test reads as its
own principal and looks only at that principal's rows.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncEngine

from cdp.db.engine import AsyncWriteSession, Database
from cdp.db.models import AuditLog
from policies.known_fields import known_fields
from policies.lines import parse_policy
from policies.pg_store import PgPolicyStore, PolicyChange
from tests.conftest import AppClient
from tests.factories import (
    create_consent,
    create_customer,
    create_holding,
    create_household,
    create_product,
)

MakeDatabase = Callable[[], Awaitable[Database]]
GRAPHQL_RESPONSE = "application/graphql-response+json"


@pytest.fixture
async def who(engine: AsyncEngine) -> AsyncIterator[str]:
    """A principal of this test alone; its committed rows are deleted afterwards."""
    principal = f"audit-{uuid.uuid4().hex[:12]}"
    yield principal
    async with engine.begin() as conn:
        await conn.execute(delete(AuditLog).where(AuditLog.principal == principal))


def subject() -> str:
    return f"audit-{uuid.uuid4().hex[:12]}"


async def rows_of(engine: AsyncEngine, principal: str) -> list[Any]:
    async with engine.connect() as conn:
        stmt = select(AuditLog).where(AuditLog.principal == principal).order_by(AuditLog.id)
        return list((await conn.execute(stmt)).all())


async def post(client: httpx.AsyncClient, query: str, **headers: str) -> httpx.Response:
    return await client.post("/graphql", json={"query": query}, headers=headers)


async def test_a_sensitive_read_leaves_one_row_with_everything_an_auditor_needs(
    app_client: AppClient, session: AsyncWriteSession, engine: AsyncEngine, who: str
) -> None:
    me, spouse = await create_customer(session), await create_customer(session)
    await create_holding(session, me, await create_product(session))
    await create_household(session, [(me, "self"), (spouse, "spouse")])
    query = f"""query CustomerView {{
      customer(customerNo: "{me.customer_no}") {{
        name aum holdings {{ marketValue product {{ code }} }}
        household {{ members {{ customer {{ customerNo annualIncome }} }} }}
      }}
    }}"""
    async with app_client(subject=who) as client:
        version = (await client.post("/graphql", json={"query": "{ policy { version } }"})).json()
        response = await post(client, query, **{"x-purpose": "kyc-review", "x-request-id": "r-1"})
        assert response.json()["data"]["customer"]["aum"] == "10000.00"

    [row] = await rows_of(engine, who)
    assert row.role == "admin"
    assert row.operation == "CustomerView"
    assert row.purpose == "kyc-review"
    assert row.request_id == "r-1"
    assert row.policy_version == version["data"]["policy"]["version"]
    # Nested lists (the household's members) add to the same row.
    assert row.field_paths == [
        "Customer.annualIncome",
        "Customer.aum",
        "Customer.holdings",
        "Holding.marketValue",
    ]
    assert row.customer_ids == sorted([me.id, spouse.id])


async def test_non_sensitive_and_masked_reads_leave_no_row(
    app_client: AppClient, session: AsyncWriteSession, engine: AsyncEngine, who: str
) -> None:
    customer = await create_customer(session)
    async with app_client(subject=who, roles=("frontend",)) as client:
        plain = await post(
            client, f'{{ customer(customerNo: "{customer.customer_no}") {{ name city }} }}'
        )
        assert plain.json()["data"]["customer"]["city"] == "上海市"
        # The front end sees the phone masked only: not a read of the phone in clear.
        masked = await post(
            client, f'{{ customer(customerNo: "{customer.customer_no}") {{ phone }} }}'
        )
        assert "****" in masked.json()["data"]["customer"]["phone"]
    assert await rows_of(engine, who) == []


async def test_a_field_in_clear_for_the_role_is_recorded(
    app_client: AppClient, session: AsyncWriteSession, engine: AsyncEngine, who: str
) -> None:
    customer = await create_customer(session)
    async with app_client(subject=who, roles=("frontend",)) as client:
        response = await post(
            client, f'{{ customer(customerNo: "{customer.customer_no}") {{ phone aum }} }}'
        )
        assert "errors" not in response.json()
    [row] = await rows_of(engine, who)
    assert row.field_paths == ["Customer.aum"]  # the masked phone is not listed
    assert row.customer_ids == [customer.id]


async def test_an_empty_list_leaves_no_row(
    app_client: AppClient, engine: AsyncEngine, who: str
) -> None:
    async with app_client(subject=who) as client:
        response = await post(
            client, '{ customers(filter: {cities: ["无此城"]}) { nodes { aum } } }'
        )
        assert response.json()["data"]["customers"]["nodes"] == []
    assert await rows_of(engine, who) == []


async def test_shutdown_writes_entries_still_buffered(
    app_client: AppClient, session: AsyncWriteSession, engine: AsyncEngine, who: str
) -> None:
    customer = await create_customer(session)
    # An interval no test outlives: only shutdown can write these entries.
    async with app_client(subject=who, audit_flush_seconds=3600) as client:
        for _ in range(3):
            await post(client, f'{{ customer(customerNo: "{customer.customer_no}") {{ aum }} }}')
        assert await rows_of(engine, who) == []
    assert len(await rows_of(engine, who)) == 3


async def test_a_read_that_cannot_be_recorded_is_withheld(
    app_client: AppClient, session: AsyncWriteSession, engine: AsyncEngine
) -> None:
    customer = await create_customer(session)
    too_long = "x" * 101  # wider than audit_log.principal
    async with app_client(subject=too_long) as client:
        response = await post(
            client, f'{{ customer(customerNo: "{customer.customer_no}") {{ aum }} }}'
        )
    body = response.json()
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert await rows_of(engine, too_long) == []


@pytest.mark.parametrize(
    "value",
    [
        b"x" * 65,  # longer than audit_log.purpose
        b"   ",  # empty
        "caf\u00e9".encode(),  # not ASCII
        b"a\x7fb",  # not printable
    ],
)
async def test_a_malformed_purpose_is_bad_input(client: httpx.AsyncClient, value: bytes) -> None:
    response = await client.post(
        "/graphql",
        json={"query": "{ __typename }"},
        headers={b"x-purpose": value, b"accept": GRAPHQL_RESPONSE.encode()},
    )
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "X-Purpose" in error["message"]


# --- partners: a sensitive read needs a stated purpose --------------------------------


@pytest.fixture
async def partner_db(fresh_database: MakeDatabase) -> Database:
    """A committed database where partners may read AUM of one consenting customer
    (the default policy shows partners nothing sensitive)."""
    db = await fresh_database()
    change = PolicyChange(add=parse_policy("p, partner, Customer.aum, read, allow"))
    await PgPolicyStore(db).apply(change, known_fields())
    async with db.write_session() as session:
        customer = await create_customer(session)
        await create_holding(session, customer, await create_product(session))
        await create_consent(session, customer, "partner_sharing")
    return db


async def partner_rows(db: Database, principal: str) -> list[Any]:
    async with db.read_session() as session:
        stmt = select(AuditLog).where(AuditLog.principal == principal)
        return list((await session.execute(stmt)).scalars())


PARTNER_QUERY = "query Sharing { customers(first: 5) { nodes { tier aum } } }"


@pytest.mark.parametrize(("accept", "status"), [(GRAPHQL_RESPONSE, 400), ("*/*", 200)])
async def test_a_partner_without_purpose_gets_no_data(
    app_client: AppClient, partner_db: Database, accept: str, status: int
) -> None:
    who = subject()
    async with app_client(subject=who, roles=("partner",), database=partner_db) as client:
        response = await post(client, PARTNER_QUERY, accept=accept)
        # Nothing sensitive selected: no purpose needed.
        plain = await post(client, "{ customers(first: 5) { nodes { tier } } }")
    assert response.status_code == status
    body = response.json()
    assert "data" not in body
    [error] = body["errors"]
    assert error["extensions"]["code"] == "PURPOSE_REQUIRED"
    assert "X-Purpose" in error["message"]
    assert plain.json()["data"]["customers"]["nodes"] == [{"tier": "MASS"}]
    assert await partner_rows(partner_db, who) == []


async def test_a_partner_with_purpose_gets_data_and_a_row(
    app_client: AppClient, partner_db: Database
) -> None:
    who = subject()
    async with app_client(subject=who, roles=("partner",), database=partner_db) as client:
        response = await post(client, PARTNER_QUERY, **{"x-purpose": "claims_review"})
    assert response.json()["data"]["customers"]["nodes"] == [{"tier": "MASS", "aum": "10000.00"}]
    [row] = await partner_rows(partner_db, who)
    assert (row.role, row.purpose, row.operation) == ("partner", "claims_review", "Sharing")
    assert row.field_paths == ["Customer.aum"]


async def test_the_roles_that_need_a_purpose_are_configurable(
    app_client: AppClient, partner_db: Database
) -> None:
    async with app_client(
        subject=subject(), roles=("partner",), database=partner_db, purpose_required_roles=[]
    ) as client:
        response = await post(client, PARTNER_QUERY)
    assert response.json()["data"]["customers"]["nodes"][0]["aum"] == "10000.00"


# Filters, orderings and derived values over sensitive fields are audited reads: a
# filter on ``aum`` answers whether a customer's AUM lies in a range, and about
# thirty answers give the exact amount. Each such request leaves a row naming the
# field and how it was used (``Customer.aum@filter``, ``Customer.aum@order``), even
# when nothing matched; a household's AUM is a read of its visible members.

BRANCH = "审计分行"


async def _count_in(client: httpx.AsyncClient, low: int, high: int) -> int:
    where = f'{{branches: ["{BRANCH}"], aum: {{min: "{low}", max: "{high}"}}}}'
    body = (await post(client, f"{{ customers(filter: {where}) {{ totalCount }} }}")).json()
    assert "errors" not in body, body
    count: int = body["data"]["customers"]["totalCount"]
    return count


async def test_a_binary_search_on_aum_is_audited_request_by_request(
    app_client: AppClient, session: AsyncWriteSession, engine: AsyncEngine, who: str
) -> None:
    target = await create_customer(session, branch=BRANCH)
    await create_holding(
        session, target, await create_product(session), market_value=Decimal("1234567.00")
    )
    # What the review did: halve the range until one yuan is left, never selecting aum.
    async with app_client(subject=who, roles=("marketer",)) as client:
        low, high, asked, empty = 0, 2**24, 0, 0
        while low < high:
            middle = (low + high) // 2
            asked += 1
            if await _count_in(client, low, middle):
                high = middle
            else:
                low, empty = middle + 1, empty + 1
        assert low == 1234567  # learned exactly
    rows = await rows_of(engine, who)
    assert len(rows) == asked
    assert all(r.field_paths == ["Customer.aum@filter"] for r in rows)
    # Requests that matched name the customer; the empty answers are recorded too.
    assert sorted(tuple(r.customer_ids) for r in rows) == sorted(
        [()] * empty + [(target.id,)] * (asked - empty)
    )


async def test_an_ordering_by_aum_is_audited_with_the_customers_it_ranked(
    app_client: AppClient, session: AsyncWriteSession, engine: AsyncEngine, who: str
) -> None:
    product = await create_product(session)
    rich = await create_customer(session, branch=BRANCH)
    poor = await create_customer(session, branch=BRANCH)
    await create_holding(session, rich, product, market_value=Decimal("900000.00"))
    await create_holding(session, poor, product, market_value=Decimal("100.00"))
    order = "{field: AUM, direction: DESC}"
    query = f'{{ customers(filter: {{branches: ["{BRANCH}"]}}, orderBy: {order}) '
    query += "{ nodes { customerNo } } }"
    async with app_client(subject=who, roles=("marketer",)) as client:
        body = (await post(client, query)).json()
    numbers = [n["customerNo"] for n in body["data"]["customers"]["nodes"]]
    assert numbers == [rich.customer_no, poor.customer_no]
    [row] = await rows_of(engine, who)
    assert row.field_paths == ["Customer.aum@order"]
    assert row.customer_ids == sorted([rich.id, poor.id])


async def test_a_filter_on_holdings_names_the_holdings(
    app_client: AppClient, session: AsyncWriteSession, engine: AsyncEngine, who: str
) -> None:
    product = await create_product(session, code="AUD001")
    holder = await create_customer(session)
    await create_holding(session, holder, product)
    query = '{ customers(filter: {holdsProducts: ["AUD001"], aum: {min: "1"}}) { totalCount } }'
    async with app_client(subject=who, roles=("marketer",)) as client:
        body = (await post(client, query)).json()
        assert body["data"]["customers"]["totalCount"] == 1
    [row] = await rows_of(engine, who)
    assert row.field_paths == ["Customer.aum@filter", "Customer.holdings@filter"]
    assert row.customer_ids == [holder.id]


async def test_a_filter_on_plain_fields_is_not_a_sensitive_read(
    app_client: AppClient, session: AsyncWriteSession, engine: AsyncEngine, who: str
) -> None:
    await create_customer(session, branch=BRANCH)
    where = f'{{branches: ["{BRANCH}"], tiers: [MASS]}}'
    async with app_client(subject=who, roles=("marketer",)) as client:
        body = (await post(client, f"{{ customers(filter: {where}) {{ totalCount }} }}")).json()
        assert body["data"]["customers"]["totalCount"] == 1
    assert await rows_of(engine, who) == []


async def test_a_household_aum_is_audited_as_a_read_of_its_members(
    app_client: AppClient, session: AsyncWriteSession, engine: AsyncEngine, who: str
) -> None:
    product = await create_product(session)
    head, spouse = await create_customer(session), await create_customer(session)
    await create_holding(session, head, product, market_value=Decimal("300.00"))
    await create_holding(session, spouse, product, market_value=Decimal("700.00"))
    household = await create_household(session, [(head, "self"), (spouse, "spouse")])
    query = f"""{{
      customer(customerNo: "{head.customer_no}") {{ household {{ householdNo aum }} }}
    }}"""
    async with app_client(subject=who, roles=("frontend",)) as client:
        body = (await post(client, query)).json()
    assert body["data"]["customer"]["household"] == {
        "householdNo": household.household_no,
        "aum": "1000.00",
    }
    [row] = await rows_of(engine, who)
    assert row.field_paths == ["Household.aum"]
    assert row.customer_ids == sorted([head.id, spouse.id])


async def test_a_holder_count_is_audited_as_an_aggregate(
    app_client: AppClient, session: AsyncWriteSession, engine: AsyncEngine, who: str
) -> None:
    product = await create_product(session, code="AUD002")
    await create_holding(session, await create_customer(session), product)
    async with app_client(subject=who, roles=("marketer",)) as client:
        body = (
            await post(client, "{ products(first: 100) { nodes { code holderCount } } }")
        ).json()
    counts = {n["code"]: n["holderCount"] for n in body["data"]["products"]["nodes"]}
    assert counts["AUD002"] == 1
    [row] = await rows_of(engine, who)
    assert (row.field_paths, row.customer_ids) == (["Product.holderCount"], [])
