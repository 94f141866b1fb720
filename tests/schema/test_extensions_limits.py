"""Depth, alias and token limits: strawberry counts, the errors carry one typed code."""

from __future__ import annotations

import strawberry

from schema.extensions.errors import MapErrors
from schema.extensions.limits import AddRules, limit_rules


@strawberry.type
class Node:
    @strawberry.field
    def child(self) -> Node:
        return Node()

    name: str = "n"


@strawberry.type
class Query:
    @strawberry.field
    def root(self) -> Node:
        return Node()


RULES = limit_rules(max_depth=3, max_aliases=2)
SCHEMA = strawberry.Schema(Query, extensions=[lambda: AddRules(RULES), lambda: MapErrors()])


async def test_depth_within_the_limit_runs_and_beyond_it_is_typed() -> None:
    ok = await SCHEMA.execute("{ root { child { child { name } } } }")
    deep = await SCHEMA.execute("{ root { child { child { child { name } } } } }")
    assert ok.errors is None
    [error] = deep.errors or []
    assert error.extensions == {"code": "QUERY_TOO_COMPLEX", "limit": "depth", "maximum": 3}


async def test_introspection_does_not_count_towards_depth() -> None:
    result = await SCHEMA.execute("{ __schema { types { fields { type { ofType { name } } } } } }")
    assert result.errors is None


async def test_aliases_beyond_the_limit_are_typed() -> None:
    result = await SCHEMA.execute("{ a: root { name } b: root { name } c: root { name } }")
    [error] = result.errors or []
    assert error.extensions == {"code": "QUERY_TOO_COMPLEX", "limit": "aliases", "maximum": 2}
    assert "3 aliases" in error.message


def test_rules_are_built_once_so_the_validation_cache_can_hit() -> None:
    # The validation cache keys on the rule classes; per-request classes never hit.
    assert AddRules(RULES).rules is RULES
    assert [rule.__name__ for rule in RULES] == ["DepthLimit", "AliasesLimit"]
