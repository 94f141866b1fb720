"""The auditLog query over HTTP: access, every filter, paging, customer numbers, errors.

Each test starts from an audit trail holding only its own entries: rows other
tests committed are deleted inside this test's transaction, which is rolled back.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine

from cdp.db.engine import AsyncWriteSession
from cdp.db.models import AuditLog, Customer
from policies.audit import AuditEntry
from policies.audit.writer import copy_entries
from tests.conftest import AppClient
from tests.factories import create_customer
from tests.schema.conftest import Api
from tests.schema.test_statement_count import count_statements

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)

LOG = """
query($filter: AuditLogFilter, $first: Int, $after: String) {
  auditLog(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id occurredAt principal roles purpose operation fieldPaths customerNos
      policyVersion requestId
    }
  }
}
"""


def entry(minutes: int, customers: list[Customer], **changes: Any) -> AuditEntry:
    values: dict[str, Any] = {
        "principal": "alice",
        "roles": ("advisor",),
        "operation": "CustomerPage",
        "field_paths": ("Customer.phone",),
        "customer_ids": tuple(c.id for c in customers),
        "purpose": None,
        "policy_version": "v1",
        "request_id": f"req-{minutes}",
        "occurred_at": T0 + timedelta(minutes=minutes),
    }
    return AuditEntry(**(values | changes))


@pytest.fixture
async def people(session: AsyncWriteSession) -> list[Customer]:
    return [await create_customer(session) for _ in range(3)]


@pytest.fixture
async def trail(session: AsyncWriteSession, people: list[Customer]) -> None:
    a, b, c = people
    await session.execute(delete(AuditLog))
    await copy_entries(
        session,
        [
            entry(0, [a, b]),
            entry(1, [a], principal="bob", roles=("auditor", "marketer")),
            entry(2, [b], purpose="marketing", operation="Segment"),
            entry(3, [c], field_paths=("Customer.idNumber", "Customer.phone")),
            entry(4, [b, c], roles=("partner",), purpose="partner_sharing"),
        ],
    )


async def request_ids(api: Api, **variables: Any) -> list[str]:
    data = await api.data(LOG, **variables)
    return [n["requestId"] for n in data["auditLog"]["nodes"]]


async def test_an_entry_as_auditors_see_it(api: Api, trail: None, people: list[Customer]) -> None:
    data = await api.data(LOG, filter={"principal": "bob"})
    [node] = data["auditLog"]["nodes"]
    assert node["principal"] == "bob"
    assert node["roles"] == ["auditor", "marketer"]
    assert node["occurredAt"] == "2025-03-01T09:01:00+00:00"
    assert node["operation"] == "CustomerPage"
    assert node["fieldPaths"] == ["Customer.phone"]
    assert node["customerNos"] == [people[0].customer_no]
    assert (node["policyVersion"], node["requestId"], node["purpose"]) == ("v1", "req-1", None)
    assert data["auditLog"]["totalCount"] == 1


async def test_each_filter(api: Api, trail: None, people: list[Customer]) -> None:
    a, b, c = people
    cases: list[tuple[dict[str, Any], list[str]]] = [
        ({}, ["req-4", "req-3", "req-2", "req-1", "req-0"]),
        ({"principal": "bob"}, ["req-1"]),
        ({"role": "marketer"}, ["req-1"]),
        ({"role": "advis"}, []),
        ({"purpose": "marketing"}, ["req-2"]),
        ({"operation": "Segment"}, ["req-2"]),
        ({"customerNo": a.customer_no}, ["req-1", "req-0"]),
        ({"customerNo": c.customer_no}, ["req-4", "req-3"]),
        ({"customerNo": "NOBODY"}, []),
        ({"fieldPath": "Customer.idNumber"}, ["req-3"]),
        ({"since": "2025-03-01T09:03:00Z"}, ["req-4", "req-3"]),
        ({"until": "2025-03-01T09:01:00+00:00"}, ["req-0"]),
        ({"since": "2025-03-01T09:01:00", "until": "2025-03-01T09:03:00Z"}, ["req-2", "req-1"]),
        ({"customerNo": b.customer_no, "purpose": "partner_sharing"}, ["req-4"]),
    ]
    for f, expected in cases:
        assert await request_ids(api, filter=f) == expected, f


async def test_pages_neither_skip_nor_repeat(
    api: Api, session: AsyncWriteSession, people: list[Customer]
) -> None:
    await session.execute(delete(AuditLog))
    # Pairs of entries at the same instant: the id breaks the tie.
    await copy_entries(session, [entry(n // 2, people, request_id=f"r{n}") for n in range(7)])
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        data = (await api.data(LOG, first=3, after=after))["auditLog"]
        seen += [n["requestId"] for n in data["nodes"]]
        pages += 1
        if not data["pageInfo"]["hasNextPage"]:
            break
        after = data["pageInfo"]["endCursor"]
    assert pages == 3
    assert sorted(seen) == [f"r{n}" for n in range(7)]
    assert len(set(seen)) == 7
    assert data["totalCount"] == 7


async def test_customer_numbers_take_one_statement_per_page(
    api: Api, session: AsyncWriteSession, engine: AsyncEngine
) -> None:
    for size in (2, 8):
        await session.execute(delete(AuditLog))
        entries = [entry(n, [await create_customer(session)]) for n in range(size)]
        await copy_entries(session, entries)
        with count_statements(engine) as statements:
            data = await api.data("{ auditLog { nodes { customerNos } } }")
        assert all(len(n["customerNos"]) == 1 for n in data["auditLog"]["nodes"])
        # Only the request's own statements: the policy watcher may reload meanwhile.
        assert len([s for s in statements if "FROM audit_log" in s]) == 1
        assert len([s for s in statements if "FROM customer" in s]) == 1


async def test_auditors_may_read_it(app_client: AppClient, trail: None) -> None:
    async with app_client(roles=("auditor",)) as client:
        response = await client.post("/graphql", json={"query": LOG, "variables": {"first": 2}})
    body = response.json()
    assert "errors" not in body, body
    assert len(body["data"]["auditLog"]["nodes"]) == 2


@pytest.mark.parametrize("role", ["advisor", "marketer", "partner", "frontend"])
async def test_other_roles_are_forbidden(app_client: AppClient, trail: None, role: str) -> None:
    async with app_client(roles=(role,)) as client:
        response = await client.post("/graphql", json={"query": LOG})
    body = response.json()
    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]


@pytest.mark.parametrize(
    ("variables", "argument"),
    [
        ({"after": "not-a-cursor"}, "cursor"),
        ({"first": 0}, "first"),
        ({"first": 101}, "first"),
        ({"filter": {"since": "2025-03-02T00:00:00Z", "until": "2025-03-01T00:00:00Z"}}, "filter"),
        ({"filter": {"since": "2025-03-01T00:00:00Z", "until": "2025-03-01T00:00:00Z"}}, "filter"),
    ],
)
async def test_bad_arguments_are_bad_input(
    api: Api, trail: None, variables: dict[str, Any], argument: str
) -> None:
    error = await api.error(LOG, **variables)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["argument"] == argument


async def test_a_cursor_of_another_list_is_bad_input(api: Api, trail: None) -> None:
    page = await api.data("{ customers(first: 1) { pageInfo { endCursor } } }")
    cursor = page["customers"]["pageInfo"]["endCursor"]
    error = await api.error(LOG, after=cursor)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_field_path_finds_its_filters_and_orderings_too(
    api: Api, session: AsyncWriteSession, people: list[Customer]
) -> None:
    await session.execute(delete(AuditLog))
    await copy_entries(
        session,
        [
            entry(0, people, field_paths=("Customer.aum",)),
            entry(1, [], field_paths=("Customer.aum@filter",)),
            entry(2, people[:1], field_paths=("Customer.aum@order", "Customer.phone")),
            entry(3, people, field_paths=("Customer.aumByCategory",)),
        ],
    )
    # Every way of reading the AUM, or one of them by its own path.
    assert await request_ids(api, filter={"fieldPath": "Customer.aum"}) == [
        "req-2",
        "req-1",
        "req-0",
    ]
    assert await request_ids(api, filter={"fieldPath": "Customer.aum@filter"}) == ["req-1"]
    data = await api.data(LOG, filter={"fieldPath": "Customer.aum@filter"})
    [node] = data["auditLog"]["nodes"]
    assert (node["fieldPaths"], node["customerNos"]) == (["Customer.aum@filter"], [])
