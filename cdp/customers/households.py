"""All SQL that reads households and their members.

A household's AUM is the sum over its members' holdings. Member lists and the AUM
take the customer row scope, so a member the caller may not see is left out
rather than leaked through the household (by name, or as the difference between
the household's AUM and the visible members' AUM). Every household row also says
whether the scope holds all of its members (``complete``): what describes the
family as a whole (its name, made of the head's name, and the members' relations
to the head) is only for callers who see everyone in it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, exists, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from cdp import keyset
from cdp.customers.columns import select_customers
from cdp.db.engine import any_of, read
from cdp.db.models import Customer, Holding, Household, HouseholdMember
from cdp.keyset import AnyRow

Scope = ColumnElement[bool] | None


def household_aum(customer_scope: Scope = None) -> ColumnElement[Any]:
    """The summed market value of the household's members within ``customer_scope``."""
    stmt = (
        select(func.coalesce(func.sum(Holding.market_value), 0))
        .join(HouseholdMember, HouseholdMember.customer_id == Holding.customer_id)
        .where(HouseholdMember.household_id == Household.id)
    )
    if customer_scope is not None:
        stmt = stmt.join(Customer, Customer.id == Holding.customer_id).where(customer_scope)
    return stmt.correlate(Household).scalar_subquery()


def household_complete(customer_scope: Scope = None) -> ColumnElement[bool]:
    """Whether every member of the household is within ``customer_scope``."""
    if customer_scope is None:
        return true()
    hidden = (
        select(HouseholdMember.customer_id)
        .join(Customer, Customer.id == HouseholdMember.customer_id)
        # IS NOT TRUE: a scope that is NULL for a member (no advisor) hides it too.
        .where(HouseholdMember.household_id == Household.id, customer_scope.is_not(true()))
        .correlate(Household)
    )
    return ~exists(hidden)


def household_columns(customer_scope: Scope = None) -> tuple[Any, ...]:
    return (
        Household.id,
        Household.household_no,
        Household.name,
        Household.created_at,
        household_aum(customer_scope).label("aum"),
        household_complete(customer_scope).label("complete"),
    )


HOUSEHOLD_ORDERING = keyset.Ordering(
    "household_no", Household.household_no, Household.id, "household_no", str
)


def _scoped(condition: ColumnElement[bool], scope: Scope) -> ColumnElement[bool]:
    return condition if scope is None else condition & scope


class HouseholdRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def page(
        self, *, window: keyset.Window, scope: Scope = None, customer_scope: Scope = None
    ) -> keyset.Page[AnyRow]:
        columns = household_columns(customer_scope)
        stmt = select(*columns).where(_scoped(Household.id.is_not(None), scope))
        rows = (await read(self.session, keyset.apply(stmt, HOUSEHOLD_ORDERING, window))).all()
        return keyset.page(rows, window)

    async def count(self, *, scope: Scope = None) -> int:
        stmt = select(func.count()).select_from(Household)
        if scope is not None:
            stmt = stmt.where(scope)
        return int((await read(self.session, stmt)).scalar_one())

    async def by_ids(
        self, ids: Sequence[int], *, scope: Scope = None, customer_scope: Scope = None
    ) -> Sequence[AnyRow]:
        columns = household_columns(customer_scope)
        stmt = select(*columns).where(_scoped(any_of(Household.id, ids), scope))
        return (await read(self.session, stmt)).all()

    async def memberships(
        self, customer_ids: Sequence[int], *, customer_scope: Scope = None
    ) -> Sequence[AnyRow]:
        """The household of each customer that has one: household columns plus
        ``customer_id`` and ``relation``."""
        columns = household_columns(customer_scope)
        stmt = (
            select(*columns, HouseholdMember.customer_id, HouseholdMember.relation)
            .join(HouseholdMember, HouseholdMember.household_id == Household.id)
            .where(any_of(HouseholdMember.customer_id, customer_ids))
        )
        return (await read(self.session, stmt)).all()

    async def members(
        self, household_ids: Sequence[int], *, customer_scope: Scope = None
    ) -> Sequence[AnyRow]:
        """Member customers (profile columns) with ``household_id`` and ``relation``,
        the head of household first."""
        stmt = (
            select_customers(HouseholdMember.household_id, HouseholdMember.relation)
            .join(HouseholdMember, HouseholdMember.customer_id == Customer.id)
            .where(_scoped(any_of(HouseholdMember.household_id, household_ids), customer_scope))
            .order_by(
                HouseholdMember.household_id,
                HouseholdMember.relation != "self",
                Customer.id,
            )
        )
        return (await read(self.session, stmt)).all()
