"""The customers connection: keyset pagination both ways in every order, limits, cursors."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from cdp.db.engine import AsyncWriteSession
from tests.factories import create_customer, create_holding, create_product
from tests.schema.conftest import Api

PAGE = """
query($first: Int, $after: String, $last: Int, $before: String, $branch: String!,
      $order: CustomerOrder) {
  customers(first: $first, after: $after, last: $last, before: $before,
            filter: {branches: [$branch]}, orderBy: $order) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { customerNo } }
  }
}
"""

BRANCH = "分页测试支行"


@pytest.fixture
async def people(session: AsyncWriteSession) -> list[dict[str, Any]]:
    """Seven customers with ties in name and AUM, so the id tiebreak matters."""
    product = await create_product(session)
    specs = [
        ("周", "300", 5),
        ("吴", "100", 3),
        ("周", "100", 1),
        ("郑", "0", 7),
        ("王", "300", 2),
        ("冯", "50", 6),
        ("陈", "100", 4),
    ]
    out = []
    for name, aum, day in specs:
        c = await create_customer(
            session, name=name, branch=BRANCH, onboarded_at=datetime(2024, 1, day, tzinfo=UTC)
        )
        if aum != "0":
            await create_holding(session, c, product, market_value=Decimal(aum))
        out.append(
            {
                "id": c.id,
                "customer_no": c.customer_no,
                "name": name,
                "aum": Decimal(aum),
                "onboarded_at": c.onboarded_at,
            }
        )
    return out


ORDERS = [
    (field, direction)
    for field in ("CUSTOMER_NO", "NAME", "ONBOARDED_AT", "AUM")
    for direction in ("ASC", "DESC")
]


def _expected(people: list[dict[str, Any]], field: str, direction: str) -> list[str]:
    key = field.lower()
    ordered = sorted(people, key=lambda p: (p[key], p["id"]), reverse=direction == "DESC")
    return [p["customer_no"] for p in ordered]


@pytest.mark.parametrize(("field", "direction"), ORDERS)
async def test_forwards_and_backwards_in_every_order(
    api: Api, people: list[dict[str, Any]], field: str, direction: str
) -> None:
    expected = _expected(people, field, direction)
    order = {"field": field, "direction": direction}

    seen: list[str] = []
    after = None
    while True:
        page = (await api.data(PAGE, first=3, after=after, branch=BRANCH, order=order))["customers"]
        assert page["totalCount"] == 7
        seen += [e["node"]["customerNo"] for e in page["edges"]]
        assert page["pageInfo"]["hasPreviousPage"] is (after is not None)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == expected

    back: list[str] = []
    before = None
    while True:
        page = (await api.data(PAGE, last=3, before=before, branch=BRANCH, order=order))[
            "customers"
        ]
        back = [e["node"]["customerNo"] for e in page["edges"]] + back
        assert page["pageInfo"]["hasNextPage"] is (before is not None)
        if not page["pageInfo"]["hasPreviousPage"]:
            break
        before = page["pageInfo"]["startCursor"]
    assert back == expected


async def test_default_order_is_customer_number(api: Api, people: list[dict[str, Any]]) -> None:
    page = (await api.data(PAGE, branch=BRANCH))["customers"]
    assert [e["node"]["customerNo"] for e in page["edges"]] == sorted(
        p["customer_no"] for p in people
    )
    assert page["pageInfo"]["hasNextPage"] is False
    assert page["pageInfo"]["startCursor"] == page["edges"][0]["cursor"]


async def test_empty_page(api: Api) -> None:
    page = (await api.data(PAGE, first=5, branch="没有这个支行"))["customers"]
    assert page["edges"] == []
    assert page["totalCount"] == 0
    assert page["pageInfo"] == {
        "hasNextPage": False,
        "hasPreviousPage": False,
        "startCursor": None,
        "endCursor": None,
    }


async def test_nodes_without_edges(api: Api, people: list[dict[str, Any]]) -> None:
    query = """query($b: String!) {
      customers(first: 2, filter: {branches: [$b]}) { nodes { customerNo } } }"""
    nodes = (await api.data(query, b=BRANCH))["customers"]["nodes"]
    assert [n["customerNo"] for n in nodes] == sorted(p["customer_no"] for p in people)[:2]


@pytest.mark.parametrize("argument", ["first", "last"])
async def test_page_size_above_maximum_is_bad_input(api: Api, argument: str) -> None:
    error = await api.error(PAGE, branch=BRANCH, **{argument: 101})
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["maximum"] == 100
    assert "100" in error["message"]


async def test_maximum_page_size_is_allowed(api: Api) -> None:
    await api.data(PAGE, first=100, branch=BRANCH)


@pytest.mark.parametrize(
    "variables",
    [
        {"first": -1},
        {"first": 1, "last": 1},
        {"after": "x", "before": "y", "last": 1},
        {"before": "x"},
    ],
)
async def test_inconsistent_arguments_are_bad_input(api: Api, variables: dict[str, Any]) -> None:
    error = await api.error(PAGE, branch=BRANCH, **variables)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_cursor_of_another_order_is_bad_input(api: Api, people: list[dict[str, Any]]) -> None:
    by_name = {"field": "NAME", "direction": "ASC"}
    page = (await api.data(PAGE, first=1, branch=BRANCH, order=by_name))["customers"]
    cursor = page["pageInfo"]["endCursor"]
    by_aum = {"field": "AUM", "direction": "ASC"}
    error = await api.error(PAGE, first=1, after=cursor, branch=BRANCH, order=by_aum)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


@pytest.mark.parametrize("cursor", ["garbage", "WyJuYW1lOmFzYyIsMSwieCJd", ""])
async def test_malformed_cursor_is_bad_input(api: Api, cursor: str) -> None:
    error = await api.error(PAGE, first=1, after=cursor or "=", branch=BRANCH)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
