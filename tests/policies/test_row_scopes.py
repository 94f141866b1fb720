"""Row scopes as values: each scope's predicate against real rows, and caches on the value."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from cdp.customers import repository
from cdp.customers.pagination import CustomerSort, customer_ordering
from cdp.customers.repository import CustomerRepository
from cdp.db.engine import AsyncWriteSession
from cdp.db.models import Advisor, Customer, Household, Product
from cdp.keyset import window
from policies.row_scopes import EVERY_ROW, NO_ROW, Entity, RowScope
from tests.factories import (
    create_advisor,
    create_consent,
    create_customer,
    create_household,
    create_product,
)


@dataclass
class World:
    """Two advisors with a customer each, a consenting customer without an advisor,
    a household per advisor and one product."""

    ids: dict[str, int]


@pytest.fixture
async def world(session: AsyncWriteSession) -> World:
    branch = "ROWSCOPE"
    mine_advisor = await create_advisor(session, branch=branch)
    other_advisor = await create_advisor(session, branch=branch)
    mine = await create_customer(session, branch=branch, advisor_id=mine_advisor.id)
    other = await create_customer(session, branch=branch, advisor_id=other_advisor.id)
    sharing = await create_customer(session, branch=branch)
    await create_consent(session, sharing, "partner_sharing")
    # A withdrawn consent is no consent.
    await create_consent(session, other, "partner_sharing", granted=False)
    mine_home = await create_household(session, [(mine, "self")])
    other_home = await create_household(session, [(other, "self"), (sharing, "spouse")])
    product = await create_product(session)
    ids = {
        "mine_advisor": mine_advisor.id,
        "other_advisor": other_advisor.id,
        "mine": mine.id,
        "other": other.id,
        "sharing": sharing.id,
        "mine_home": mine_home.id,
        "other_home": other_home.id,
        "product": product.id,
    }
    return World(ids)


_TABLES: dict[Entity, Any] = {
    "customer": Customer,
    "household": Household,
    "advisor": Advisor,
    "product": Product,
}


async def visible(
    session: AsyncWriteSession, scope: RowScope, entity: Entity, among: Sequence[int]
) -> set[int]:
    """The ids of ``among`` that ``scope`` lets through on ``entity``'s table."""
    table = _TABLES[entity]
    stmt = select(table.id).where(table.id.in_(among))
    predicate = scope.predicate(entity)
    if predicate is not None:
        stmt = stmt.where(predicate)
    return set((await session.execute(stmt)).scalars())


def _all(world: World, *names: str) -> list[int]:
    return [world.ids[n] for n in names]


async def test_none_is_every_row(session: AsyncWriteSession, world: World) -> None:
    scope = RowScope.of({"none", "own_customers"}, world.ids["mine_advisor"])
    assert scope == EVERY_ROW
    for entity in _TABLES:
        assert scope.predicate(entity) is None
    customers = _all(world, "mine", "other", "sharing")
    assert await visible(session, scope, "customer", customers) == set(customers)


async def test_own_customers_is_the_callers_book(session: AsyncWriteSession, world: World) -> None:
    scope = RowScope.of({"own_customers"}, world.ids["mine_advisor"])
    ids = world.ids
    customers = _all(world, "mine", "other", "sharing")
    assert await visible(session, scope, "customer", customers) == {ids["mine"]}
    homes = _all(world, "mine_home", "other_home")
    assert await visible(session, scope, "household", homes) == {ids["mine_home"]}
    advisors = _all(world, "mine_advisor", "other_advisor")
    assert await visible(session, scope, "advisor", advisors) == {ids["mine_advisor"]}
    # The catalogue is open to anyone with a scope.
    assert await visible(session, scope, "product", [ids["product"]]) == {ids["product"]}


async def test_own_customers_without_an_advisor_is_nobody(
    session: AsyncWriteSession, world: World
) -> None:
    scope = RowScope.of({"own_customers"}, None)
    assert await visible(session, scope, "customer", _all(world, "mine", "other")) == set()


async def test_partner_sharing_consent_is_the_consenting_customers(
    session: AsyncWriteSession, world: World
) -> None:
    scope = RowScope.of({"partner_sharing_consent"}, world.ids["mine_advisor"])
    # The advisor id is not part of a scope that does not read it.
    assert scope == RowScope.of({"partner_sharing_consent"})
    ids = world.ids
    customers = _all(world, "mine", "other", "sharing")
    assert await visible(session, scope, "customer", customers) == {ids["sharing"]}
    homes = _all(world, "mine_home", "other_home")
    assert await visible(session, scope, "household", homes) == {ids["other_home"]}
    # The consenting customer has no advisor: no advisor is in scope through them.
    advisors = _all(world, "mine_advisor", "other_advisor")
    assert await visible(session, scope, "advisor", advisors) == set()


async def test_scopes_add_up(session: AsyncWriteSession, world: World) -> None:
    scope = RowScope.of({"own_customers", "partner_sharing_consent"}, world.ids["mine_advisor"])
    customers = _all(world, "mine", "other", "sharing")
    assert await visible(session, scope, "customer", customers) == {
        world.ids["mine"],
        world.ids["sharing"],
    }


async def test_no_scope_is_no_row(session: AsyncWriteSession, world: World) -> None:
    assert RowScope.of(()) == NO_ROW
    for entity in _TABLES:
        assert await visible(session, NO_ROW, entity, list(world.ids.values())) == set()


def test_equal_scopes_are_one_value_with_one_predicate() -> None:
    first = RowScope.of(["own_customers"], 7)
    second = RowScope.of({"own_customers"}, 7)
    assert first is not second
    assert first == second
    assert hash(first) == hash(second)
    assert first.predicate("household") is second.predicate("household")
    assert RowScope.of({"own_customers"}, 8) != first


def _page_cache_entries(scope: RowScope) -> list[Any]:
    return [stmt for key, stmt in repository._PAGES.items() if key[-1] == scope]


async def test_equal_scopes_share_a_page_statement_and_different_ones_do_not(
    session: AsyncWriteSession, world: World
) -> None:
    repo = CustomerRepository(session)
    ordering = customer_ordering(CustomerSort.CUSTOMER_NO)
    win = window(ordering, first=10, after=None, last=None, before=None, max_size=100)
    context: Any = None  # unfiltered pages never compile a filter

    async def page(scope: RowScope) -> set[int]:
        rows = await repo.page(
            where=None, ordering=ordering, window=win, filter_context=context, scope=scope
        )
        return {row.id for row in rows.rows}

    repository._PAGES.clear()
    advisor = world.ids["mine_advisor"]
    assert world.ids["mine"] in await page(RowScope.of({"own_customers"}, advisor))
    assert len(repository._PAGES) == 1
    # Built separately, equal: the same entry serves it.
    assert world.ids["mine"] in await page(RowScope.of(["own_customers"], advisor))
    assert len(repository._PAGES) == 1
    # Another advisor: an entry of its own, and none of the first advisor's customers.
    other = RowScope.of({"own_customers"}, world.ids["other_advisor"])
    other_page = await page(other)
    assert len(repository._PAGES) == 2
    assert world.ids["other"] in other_page
    assert world.ids["mine"] not in other_page
    assert len(_page_cache_entries(other)) == 1
