"""Filter compilation against the database: the repository with filters and scopes."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from cdp.config import Settings
from cdp.customers.filters import CustomerFilter, FilterContext, Range, compile_filter
from cdp.customers.pagination import CustomerSort, customer_ordering
from cdp.customers.repository import CustomerRepository
from cdp.db.engine import AsyncWriteSession
from cdp.db.models import Customer
from cdp.keyset import window
from policies.row_scopes import RowScope
from tests.factories import create_advisor, create_customer

CTX = FilterContext(Settings(), date(2024, 6, 1))


def test_values_are_bound_never_inlined() -> None:
    hostile = "x'); DROP TABLE customer; --"
    compiled = compile_filter(CustomerFilter(cities=(hostile,)), CTX).compile()
    assert hostile not in str(compiled)
    assert hostile in compiled.params.values() or [hostile] in compiled.params.values()


def test_empty_filter_is_true() -> None:
    assert str(compile_filter(None, CTX)) == "true"
    assert "true" in str(compile_filter(CustomerFilter(), CTX))


async def test_age_bounds_follow_birthdays(session: AsyncWriteSession) -> None:
    turns_30_today = await create_customer(session, birth_date=date(1994, 6, 1), branch="AGE")
    turns_30_tomorrow = await create_customer(session, birth_date=date(1994, 6, 2), branch="AGE")
    f = CustomerFilter(age=Range(min=30, max=30), branches=("AGE",))
    stmt = select(Customer.id).where(compile_filter(f, CTX))
    assert list((await session.execute(stmt)).scalars()) == [turns_30_today.id]
    f = CustomerFilter(age=Range(max=29), branches=("AGE",))
    stmt = select(Customer.id).where(compile_filter(f, CTX))
    assert list((await session.execute(stmt)).scalars()) == [turns_30_tomorrow.id]


async def test_scope_restricts_pages_counts_and_lookups(session: AsyncWriteSession) -> None:
    advisor = await create_advisor(session)
    mine = await create_customer(session, branch="SCOPE", advisor_id=advisor.id)
    other = await create_customer(session, branch="SCOPE")
    repo = CustomerRepository(session)
    scope = RowScope.of({"own_customers"}, advisor.id)
    where = CustomerFilter(branches=("SCOPE",))
    ordering = customer_ordering(CustomerSort.NAME)
    win = window(ordering, first=10, after=None, last=None, before=None, max_size=100)

    page = await repo.page(
        where=where, ordering=ordering, window=win, filter_context=CTX, scope=scope
    )
    assert [r.id for r in page.rows] == [mine.id]
    assert await repo.count(where=where, filter_context=CTX, scope=scope) == 1
    assert await repo.by_customer_no(other.customer_no, scope=scope) is None
    assert [r.id for r in await repo.by_ids([mine.id, other.id], scope=scope)] == [mine.id]


async def test_merged_customers_are_not_listed(session: AsyncWriteSession) -> None:
    survivor = await create_customer(session, branch="MERGE")
    await create_customer(session, branch="MERGE", status="merged", merged_into_id=survivor.id)
    where = CustomerFilter(branches=("MERGE",))
    assert await CustomerRepository(session).count(where=where, filter_context=CTX) == 1
