"""Per-customer aggregates over one source table: SQL for ``Aggregate`` specs.

Each source (holdings, transactions, interactions, referrals) becomes one
``SELECT customer_id, agg(…) FILTER (WHERE …), … GROUP BY customer_id``; the
filter compiles with the same translation as tag rules, over the row's columns
(and the product's, and the customer's when the filter reads them). Time
windows are bound timestamps computed from ``as_of`` in Python.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Date, FromClause, Select, and_, cast, func, literal, select

from cdp.db.models import (
    Customer,
    Holding,
    HouseholdMember,
    InteractionEvent,
    Product,
    Referral,
    Transaction,
)
from tagging.compiler.sql import to_sql
from tagging.language import typed
from tagging.language.catalogue import CUSTOMER_FIELDS, SOURCES
from tagging.language.types import DATE, NUMBER

# Computed attributes that are plain specs under another name.
ALIASES: dict[str, typed.Spec] = {
    "aum": typed.Aggregate(
        NUMBER, "sum", "holdings", typed.RowField(NUMBER, "market_value"), None, None
    ),
    "days_since_last_transaction": typed.DaysSince(
        NUMBER,
        typed.Feature(
            DATE,
            typed.Aggregate(
                DATE, "max", "transactions", typed.RowField(DATE, "occurred_at"), None, None
            ),
        ),
    ),
}

_TABLES: dict[str, Any] = {
    "holdings": Holding,
    "transactions": Transaction,
    "interactions": InteractionEvent,
    "referrals": Referral,
}


def _owner(source: str) -> Any:
    return Referral.referrer_id if source == "referrals" else _TABLES[source].customer_id


def as_of_day(as_of: datetime) -> date:
    return as_of.astimezone(UTC).date()


def days_between(as_of: datetime, value: Any) -> ColumnElement[Any]:
    """Whole calendar days (UTC) from ``value`` to the run's day."""
    day = literal(as_of_day(as_of), Date())
    if isinstance(value.type, Date):
        days: ColumnElement[Any] = day - value
        return days
    return day - cast(func.timezone("UTC", value), Date)


class _RowEnv:
    """Row fields of one source; customer fields through a join to ``customer``."""

    def __init__(self, source: str, as_of: datetime) -> None:
        self.source, self.as_of = source, as_of
        self.needs_product = self.needs_customer = False

    def row(self, name: str) -> ColumnElement[Any]:
        if name.startswith("product."):
            self.needs_product = True
            return getattr(Product, name.removeprefix("product."))  # type: ignore[no-any-return]
        if name == "days_to_maturity":
            self.needs_product = True
            return Product.term_days - days_between(self.as_of, Holding.opened_at)
        return getattr(_TABLES[self.source], name)  # type: ignore[no-any-return]

    def attr(self, name: str) -> ColumnElement[Any]:
        self.needs_customer = True
        return getattr(Customer, CUSTOMER_FIELDS[name].column)  # type: ignore[no-any-return]

    def feature(self, spec: typed.Spec) -> ColumnElement[Any]:
        raise TypeError("features are not available inside an aggregate")


def aggregate_column(spec: typed.Aggregate, env: _RowEnv) -> ColumnElement[Any]:
    source = SOURCES[spec.source]
    conditions = []
    if spec.where is not None:
        conditions.append(to_sql(spec.where, env))
    if spec.within_days is not None:
        when = env.row(source.window)
        since = env.as_of - timedelta(days=spec.within_days)
        conditions += [when > since, when <= env.as_of]
    if spec.func in ("count", "exists"):
        agg: Any = func.count()
    else:
        assert spec.measure is not None
        agg = getattr(func, spec.func)(to_sql(spec.measure, env))
    if conditions:
        agg = agg.filter(and_(*conditions))
    return agg.label(spec.name)  # type: ignore[no-any-return]


def source_query(
    source: str, aggs: list[typed.Aggregate], as_of: datetime, ids: Select[Any] | None
) -> FromClause:
    env = _RowEnv(source, as_of)
    columns = [aggregate_column(a, env) for a in aggs]
    owner = _owner(source)
    table = _TABLES[source]
    stmt = select(owner.label("customer_id"), *columns).select_from(table)
    if env.needs_product:
        stmt = stmt.outerjoin(Product, Product.id == table.product_id)
    if env.needs_customer:
        stmt = stmt.join(Customer, Customer.id == owner)
    if ids is not None:
        stmt = stmt.where(owner.in_(ids))
    return stmt.group_by(owner).subquery(f"f_{source}")


def household_query(ids: Select[Any] | None) -> FromClause:
    """Household AUM and size per member; for ``ids``, only their households are summed."""
    member = HouseholdMember.__table__.alias("hm_all")
    per_household = (
        select(
            member.c.household_id,
            func.count(member.c.customer_id.distinct()).label("size"),
            func.coalesce(func.sum(Holding.market_value), 0).label("aum"),
        )
        .select_from(member.outerjoin(Holding, Holding.customer_id == member.c.customer_id))
        .group_by(member.c.household_id)
    )
    if ids is not None:
        theirs = select(HouseholdMember.household_id).where(HouseholdMember.customer_id.in_(ids))
        per_household = per_household.where(member.c.household_id.in_(theirs))
    totals = per_household.subquery("household_totals")
    stmt = select(
        HouseholdMember.customer_id,
        totals.c.aum.label("household_aum"),
        totals.c.size.label("household_size"),
    ).join(totals, totals.c.household_id == HouseholdMember.household_id)
    if ids is not None:
        stmt = stmt.where(HouseholdMember.customer_id.in_(ids))
    return stmt.subquery("f_household")
