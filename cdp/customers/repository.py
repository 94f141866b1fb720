"""All SQL that reads customers themselves.

Every method that returns customers takes ``scope``: the caller's row scope as a
hashable value (``policies.row_scopes.RowScope``, handed over by the permission
layer: an advisor sees their own customers, a partner the consenting ones) whose
``predicate("customer")`` is ANDed into lists, counts and single lookups alike, so
no path reads around it. ``None`` means unrestricted.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any, Literal, Protocol, cast

from sqlalchemy import ColumnElement, Integer, Select, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from cdp import keyset
from cdp.customers.columns import select_customers
from cdp.customers.filters import CustomerFilter, FilterContext, compile_filter
from cdp.db.engine import any_of, read
from cdp.db.models import Customer, Holding
from cdp.keyset import AnyRow


class CustomerScope(Hashable, Protocol):
    """A row scope as a value: equal scopes build the same predicate, so statements
    built around one are cached on it (``policies.row_scopes.RowScope`` is one)."""

    def predicate(self, entity: Literal["customer"], /) -> ColumnElement[bool] | None: ...


Scope = CustomerScope | None


def _scoped(condition: ColumnElement[bool], scope: Scope) -> ColumnElement[bool]:
    predicate = None if scope is None else scope.predicate("customer")
    return condition if predicate is None else condition & predicate


# Merged-away records live on in their survivor; lists show golden customers only.
_LISTED = Customer.status != "merged"


# Statements of unfiltered pages, by ordering, direction, cursor or not, AUM and row
# scope: built once with the page size and cursor as parameters, so a request neither
# builds the statement (17 columns, the keyset condition) nor its cache key again.
# The scope is keyed by value: every request of the same role set and advisor
# shares the entry, and a different scope can never be served another's statement.
_PAGES: dict[tuple[str, bool, bool, bool, Scope], Select[*tuple[Any, ...]]] = {}
_MAX_PAGES = 512


def _unfiltered_page(
    ordering: keyset.Ordering, window: keyset.Window, aum: bool, scope: Scope
) -> tuple[Select[*tuple[Any, ...]], dict[str, Any]]:
    key = (ordering.token, window.forward, window.after is not None, aum, scope)
    stmt = _PAGES.get(key)
    if stmt is None:
        if len(_PAGES) >= _MAX_PAGES:
            _PAGES.clear()
        after = None
        if window.after is not None:
            key_type = cast(ColumnElement[Any], ordering.key).type
            id_type = cast(ColumnElement[Any], ordering.tiebreak).type
            # Parameters standing where keyset.apply puts the cursor's values.
            after = cast(
                tuple[Any, int],
                (bindparam("after_key", type_=key_type), bindparam("after_id", type_=id_type)),
            )
        shape = keyset.Window(size=0, forward=window.forward, after=after)
        condition = _scoped(_LISTED, scope)
        stmt = keyset.apply(select_customers(aum=aum).where(condition), ordering, shape)
        stmt = stmt.limit(bindparam("page_limit", type_=Integer))
        _PAGES[key] = stmt
    # One row more than the page, as keyset.apply asks for: it tells whether more follow.
    params: dict[str, Any] = {"page_limit": window.size + 1}
    if window.after is not None:
        params["after_key"], params["after_id"] = window.after
    return stmt, params


class CustomerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def page(
        self,
        *,
        where: CustomerFilter | None,
        ordering: keyset.Ordering,
        window: keyset.Window,
        filter_context: FilterContext,
        scope: Scope = None,
        aum: bool = True,
    ) -> keyset.Page[AnyRow]:
        """A page of customers; ``aum=False`` leaves the ``aum`` column NULL (never when
        sorting by AUM, whose cursors carry it)."""
        aum = aum or ordering.field == "aum"
        if where is None:
            stmt, params = _unfiltered_page(ordering, window, aum, scope)
            return keyset.page((await read(self.session, stmt, params)).all(), window)
        condition = _scoped(_LISTED & compile_filter(where, filter_context), scope)
        stmt = keyset.apply(select_customers(aum=aum).where(condition), ordering, window)
        rows = (await read(self.session, stmt)).all()
        return keyset.page(rows, window)

    async def count(
        self,
        *,
        where: CustomerFilter | None,
        filter_context: FilterContext,
        scope: Scope = None,
    ) -> int:
        condition = _scoped(_LISTED & compile_filter(where, filter_context), scope)
        stmt = select(func.count()).select_from(Customer).where(condition)
        return int((await read(self.session, stmt)).scalar_one())

    async def by_ids(self, ids: Sequence[int], *, scope: Scope = None) -> Sequence[AnyRow]:
        stmt = select_customers().where(_scoped(any_of(Customer.id, ids), scope))
        return (await read(self.session, stmt)).all()

    async def by_customer_no(
        self, customer_no: str, *, scope: Scope = None, aum: bool = True
    ) -> AnyRow | None:
        condition = _scoped(Customer.customer_no == customer_no, scope)
        stmt = select_customers(aum=aum).where(condition)
        return (await read(self.session, stmt)).one_or_none()

    async def sample_customer_nos(self, limit: int) -> list[str]:
        """Customer numbers with the largest AUM: good examples for the demo."""
        stmt = (
            select(Customer.customer_no)
            .join(Holding, Holding.customer_id == Customer.id)
            .group_by(Customer.id)
            .order_by(func.sum(Holding.market_value).desc(), Customer.id)
            .limit(limit)
        )
        return list((await read(self.session, stmt)).scalars())
