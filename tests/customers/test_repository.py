"""Customer pages: the prepared statement of unfiltered pages walks like a built one."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from cdp import keyset
from cdp.config import get_settings
from cdp.customers.filters import CustomerFilter, FilterContext
from cdp.customers.pagination import CustomerSort, customer_ordering
from cdp.customers.repository import CustomerRepository
from cdp.db.engine import AsyncWriteSession
from tests.factories import create_customer, create_holding, create_product


@pytest.fixture
async def repo(session: AsyncWriteSession) -> CustomerRepository:
    """Nine customers with ties in name, onboarding day and AUM, and one merged away."""
    product = await create_product(session)
    for i, (name, day, aum) in enumerate(
        [("周", 3, 300), ("吴", 1, 100), ("周", 3, 100), ("郑", 7, 0), ("王", 2, 300),
         ("冯", 6, 50), ("陈", 1, 100), ("周", 5, 0), ("李", 4, 20)]
    ):  # fmt: skip
        c = await create_customer(
            session, name=name, onboarded_at=datetime(2024, 1, day, i, tzinfo=UTC)
        )
        if aum:
            await create_holding(session, c, product, market_value=Decimal(aum))
    await create_customer(session, name="并", status="merged")
    return CustomerRepository(session)


async def _walk(
    repo: CustomerRepository, ordering: keyset.Ordering, where: CustomerFilter | None, forward: bool
) -> list[str]:
    """Every customer number, two at a time, following cursors in one direction."""
    seen: list[str] = []
    cursor: str | None = None
    context = FilterContext(get_settings(), date(2025, 1, 1))
    for _ in range(20):  # a cursor ignored would walk the same page for ever
        first, last = (2, None) if forward else (None, 2)
        after, before = (cursor, None) if forward else (None, cursor)
        window = keyset.window(
            ordering, first=first, after=after, last=last, before=before, max_size=100
        )
        page = await repo.page(
            where=where, ordering=ordering, window=window, filter_context=context, aum=False
        )
        numbers = [row.customer_no for row in page.rows]
        seen = seen + numbers if forward else numbers + seen
        if not (page.has_next if forward else page.has_previous):
            return seen
        cursor = keyset.cursor_of(ordering, page.rows[-1] if forward else page.rows[0])
    raise AssertionError(f"no last page after 20: {seen}")


@pytest.mark.parametrize("sort", list(CustomerSort))
@pytest.mark.parametrize("descending", [False, True])
async def test_unfiltered_pages_walk_as_filtered_ones(
    repo: CustomerRepository, sort: CustomerSort, descending: bool
) -> None:
    ordering = customer_ordering(sort, descending=descending)
    # An empty filter keeps every customer but takes the path that builds the statement.
    built = await _walk(repo, ordering, CustomerFilter(), forward=True)
    assert len(built) == 9
    assert len(set(built)) == 9
    for forward in (True, False):
        assert await _walk(repo, ordering, None, forward) == built
