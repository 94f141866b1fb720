"""The fields policies govern: object types of the SDL and the planned fields."""

from __future__ import annotations

from policies.known_fields import PLANNED_FIELDS, sdl_fields

SDL = """
type Query { customer(no: String!): Customer! customers: CustomerConnection! }
type Mutation { touch: Boolean! }
type Customer { name: String! city: String }
type CustomerConnection { edges: [CustomerEdge!]! pageInfo: PageInfo! }
type CustomerEdge { node: Customer! cursor: String! }
type PageInfo { hasNextPage: Boolean! }
input CustomerInput { name: String! }
"""


def test_only_types_that_carry_data() -> None:
    assert sdl_fields(SDL) == {"Customer.name", "Customer.city"}


def test_the_committed_sdl_and_planned_fields(fields: frozenset[str]) -> None:
    assert fields >= PLANNED_FIELDS
    assert {"Customer.customerNo", "Product.code", "Tag.key", "Holding.marketValue"} <= fields
    assert not {name for name in fields if name.split(".")[0] in {"Query", "PageInfo"}}
