"""Filter width and list sizes are limited, from literals and variables alike, and
count in the query cost: a wide filter is refused before the database is touched."""

from __future__ import annotations

from graphql import parse
from sqlalchemy.ext.asyncio import AsyncEngine

from cdp.config import get_settings
from schema import build_schema
from schema.extensions.cost import query_cost
from tests.conftest import AppClient
from tests.schema.conftest import Api
from tests.schema.test_statement_count import count_statements

CUSTOMERS = "query($f: CustomerFilter) { customers(filter: $f, first: 5) { totalCount } }"


def _tiers(n: int) -> dict[str, object]:
    return {"or": [{"tiers": ["HIGH_NET_WORTH"]} for _ in range(n)]}


async def test_a_wide_variable_filter_is_refused_before_the_database(
    api: Api, engine: AsyncEngine
) -> None:
    with count_statements(engine) as statements:
        body = await api.raw(CUSTOMERS, f=_tiers(300))
    assert "data" not in body
    [error] = body["errors"]
    assert error["extensions"] == {
        "code": "QUERY_TOO_COMPLEX",
        "limit": "filterWidth",
        "maximum": 100,
        "actual": 300,
        "argument": "filter",
    }
    assert statements == []


async def test_twenty_thousand_ranges_are_refused_before_the_database(
    api: Api, engine: AsyncEngine
) -> None:
    ranges = {"or": [{"aum": {"min": n, "max": n + 1}} for n in range(20_000)]}
    with count_statements(engine) as statements:
        body = await api.raw(CUSTOMERS, f=ranges)
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["argument"] == "filter.or"
    assert statements == []


async def test_a_wide_literal_filter_is_refused_too(api: Api) -> None:
    branches = ", ".join("{tiers: [MASS]}" for _ in range(101))
    body = await api.raw(f"{{ customers(filter: {{or: [{branches}]}}) {{ totalCount }} }}")
    [error] = body["errors"]
    assert error["extensions"]["limit"] == "filterWidth"
    assert error["extensions"]["actual"] == 101


async def test_width_counts_list_items_at_every_level(api: Api) -> None:
    wide = {"and": [{"cities": [f"城{n}" for n in range(60)]}, {"not": {"branches": ["b"] * 41}}]}
    body = await api.raw(CUSTOMERS, f=wide)
    [error] = body["errors"]
    assert error["extensions"]["actual"] == 101


async def test_a_filter_at_the_limit_runs(api: Api) -> None:
    data = await api.data(CUSTOMERS, f=_tiers(100))
    assert data["customers"]["totalCount"] >= 0


async def test_the_limit_is_a_setting(app_client: AppClient) -> None:
    async with app_client(max_filter_width=3) as client:
        request = {"query": CUSTOMERS, "variables": {"f": _tiers(4)}}
        body = (await client.post("/graphql", json=request)).json()
    assert body["errors"][0]["extensions"]["maximum"] == 3


def test_filters_and_lists_add_to_the_cost() -> None:
    schema = build_schema(get_settings())._schema
    document = parse(
        "query($f: CustomerFilter) { customers(filter: $f, first: 10) { totalCount } }"
    )
    bare = query_cost(schema, document, variables={})
    narrow = query_cost(schema, document, variables={"f": {"cities": ["a"]}})
    wide = query_cost(schema, document, variables={"f": _tiers(50)})
    # One list of one item: one item, one predicate.
    assert narrow == bare + 2
    # The or-list's 50 items, 50 tier lists of one item, 50 predicates.
    assert wide == bare + 150


def test_nested_arguments_count_once_per_parent() -> None:
    schema = build_schema(get_settings())._schema
    document = parse(
        "query($k: [String!]) { customers(first: 10) { nodes {"
        " transactions(first: 1, kinds: $k) { totalCount } } } }"
    )
    without = query_cost(schema, document, variables={})
    with_kinds = query_cost(schema, document, variables={"k": ["buy", "sell", "fee"]})
    assert with_kinds == without + 10 * 3
