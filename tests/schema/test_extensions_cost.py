"""Query cost: list sizes multiply, computed over any schema, refused before execution."""

from __future__ import annotations

from typing import Any

import pytest
import strawberry
from graphql import parse

from schema.extensions.cost import QueryCost, cached_query_cost, query_cost
from schema.extensions.errors import MapErrors

# A schema of its own, shaped like the API will be (Relay connections, plain lists),
# so the rule is shown to work on shapes rather than on today's field names.
RESOLVED: list[str] = []


@strawberry.type
class Item:
    name: str = "item"

    @strawberry.field
    def children(self, first: int | None = None, last: int | None = None) -> ItemConnection:
        RESOLVED.append("children")
        return ItemConnection()

    @strawberry.field
    def tags(self) -> list[Tag]:
        return []


@strawberry.type
class Tag:
    label: str = "tag"


@strawberry.type
class ItemEdge:
    node: Item
    cursor: str


@strawberry.type
class PageInfo:
    has_next_page: bool = False


@strawberry.type
class ItemConnection:
    edges: list[ItemEdge] = strawberry.field(default_factory=list)
    page_info: PageInfo = strawberry.field(default_factory=PageInfo)
    total_count: int = 0


@strawberry.type
class Query:
    @strawberry.field
    def items(self, first: int | None = None, last: int | None = None) -> ItemConnection:
        RESOLVED.append("items")
        return ItemConnection()

    @strawberry.field
    def top(self, first: int = 5) -> list[Item]:
        return []

    @strawberry.field
    def item(self) -> Item:
        return Item()


SCHEMA = strawberry.Schema(Query)
GRAPHQL_SCHEMA = SCHEMA._schema


def cost(query: str, variables: dict[str, Any] | None = None, operation: str | None = None) -> int:
    return query_cost(
        GRAPHQL_SCHEMA,
        parse(query),
        operation,
        variables,
        default_list_size=20,
        default_page_size=50,
    )


NESTED = """
query($n: Int) {
  items(first: $n) { edges { node {
    children(first: $n) { edges { node {
      children(first: $n) { edges { node { name } } }
    } } }
  } } }
}
"""


def test_connection_page_is_counted_once_not_per_list_below_it() -> None:
    # connection 1, edges 10, nodes 10; pageInfo 1; scalars are free.
    assert (
        cost("{ items(first: 10) { totalCount pageInfo { hasNextPage } edges { node { name } } } }")
        == 22
    )


def test_nested_pages_multiply() -> None:
    # level k: connections 100^(k-1), edges and nodes 100^k each.
    expected = sum(100 ** (k - 1) + 2 * 100**k for k in (1, 2, 3))
    assert cost(NESTED, {"n": 100}) == expected
    assert cost(NESTED, {"n": 2}) == sum(2 ** (k - 1) + 2 * 2**k for k in (1, 2, 3))


def test_sizes_from_literals_variables_defaults_and_the_larger_of_first_and_last() -> None:
    assert cost("{ items(first: 3, last: 7) { edges { cursor } } }") == 1 + 7
    assert cost("query($n: Int = 4) { items(first: $n) { edges { cursor } } }") == 1 + 4
    assert cost("query($n: Int = 4) { items(first: $n) { edges { cursor } } }", {"n": 9}) == 1 + 9
    # Declared argument default (top: first = 5), then the default page size.
    assert cost("{ top { name } }") == 5
    assert cost("{ items { edges { cursor } } }") == 1 + 50


def test_plain_lists_get_the_default_size_and_objects_cost_one() -> None:
    assert cost("{ item { name tags { label } } }") == 1 + 20


def test_fragments_are_followed_and_introspection_is_free() -> None:
    query = """
    { items(first: 10) { ...Page } __schema { types { fields { name } } } }
    fragment Page on ItemConnection { edges { node { ... on Item { tags { label } } } } }
    """
    assert cost(query) == 1 + 10 + 10 + 10 * 20


def test_operation_is_chosen_by_name() -> None:
    query = "query A { item { name } } query B { items(first: 50) { edges { cursor } } }"
    assert cost(query, operation="A") == 1
    assert cost(query, operation="B") == 51
    assert cost(query) == 0  # ambiguous: execution will refuse it anyway


async def test_too_costly_query_is_refused_before_any_resolver_runs() -> None:
    schema = strawberry.Schema(
        Query, extensions=[lambda: QueryCost(max_cost=10_000), lambda: MapErrors()]
    )
    RESOLVED.clear()

    result = await schema.execute(NESTED, variable_values={"n": 100})

    assert RESOLVED == []
    assert result.data is None
    [error] = result.errors or []
    computed = cost(NESTED, {"n": 100})
    assert error.extensions == {
        "code": "QUERY_TOO_COMPLEX",
        "limit": "cost",
        "maximum": 10_000,
        "actual": computed,
    }
    assert str(computed) in error.message
    assert "10000" in error.message


@pytest.mark.parametrize("n", [1, 10])
async def test_affordable_query_runs(n: int) -> None:
    schema = strawberry.Schema(Query, extensions=[lambda: QueryCost(max_cost=10_000)])
    result = await schema.execute(NESTED, variable_values={"n": n})
    assert result.errors is None
    assert result.data == {"items": {"edges": []}}


def test_a_remembered_cost_follows_the_integer_variables() -> None:
    document = parse(NESTED)

    def remembered(variables: dict[str, Any]) -> int:
        return cached_query_cost(GRAPHQL_SCHEMA, document, None, variables, 20, 50)

    assert remembered({"n": 100}) == cost(NESTED, {"n": 100})
    assert remembered({"n": 2}) == cost(NESTED, {"n": 2})
    assert remembered({"n": 100}) == cost(NESTED, {"n": 100}) != remembered({"n": 2})
    # A value that is no size (here a string) counts as the default, as in the walk.
    assert remembered({"n": "100"}) == cost(NESTED, {}) == remembered({})


def test_an_equal_document_parsed_again_is_walked_again() -> None:
    first, second = parse(NESTED), parse(NESTED.replace("items", "items ", 1))
    a = cached_query_cost(GRAPHQL_SCHEMA, first, None, {"n": 3}, 20, 50)
    b = cached_query_cost(GRAPHQL_SCHEMA, second, None, {"n": 3}, 20, 50)
    assert a == b == cost(NESTED, {"n": 3})
