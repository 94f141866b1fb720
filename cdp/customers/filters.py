"""Customer filters: typed predicates combined with AND / OR / NOT, compiled to SQL.

A ``CustomerFilter`` is a tree. Within one node every set predicate must hold
(AND); ``all_of``, ``any_of`` and ``negate`` combine sub-filters. Compilation
produces a SQLAlchemy expression over ``customer``: values are bound parameters,
never SQL text, so nothing from a caller is spliced into a statement.

Adding a predicate (the tag engine's ``has_tag`` / tag value tests are next) is
three steps: a field on ``CustomerFilter``, a compiler in ``_PREDICATES`` under the
same name, and the matching input field in the API. The check at the end of this
module refuses to import when a field has no compiler.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar

from sqlalchemy import (
    ColumnElement,
    SQLColumnExpression,
    and_,
    exists,
    false,
    not_,
    or_,
    select,
    true,
)

from cdp.config import Settings
from cdp.customers.columns import AUM
from cdp.customers.tiers import Tier, tier_bounds, years_before
from cdp.db.models import Customer, Holding, Product

T = TypeVar("T")


@dataclass(frozen=True)
class Range(Generic[T]):
    """An inclusive range; a missing bound is open."""

    min: T | None = None
    max: T | None = None


@dataclass(frozen=True)
class CustomerFilter:
    all_of: tuple[CustomerFilter, ...] = ()
    any_of: tuple[CustomerFilter, ...] = ()
    negate: CustomerFilter | None = None
    tiers: tuple[Tier, ...] | None = None
    risk_levels: tuple[int, ...] | None = None
    cities: tuple[str, ...] | None = None
    provinces: tuple[str, ...] | None = None
    advisor_ids: tuple[int, ...] | None = None
    branches: tuple[str, ...] | None = None
    aum: Range[Decimal] | None = None
    onboarded: Range[datetime] | None = None
    age: Range[int] | None = None
    holds_products: tuple[str, ...] | None = None
    holds_categories: tuple[str, ...] | None = None


@dataclass(frozen=True)
class FilterContext:
    """What relative predicates are measured against: tier thresholds and today."""

    settings: Settings
    today: date


def compile_filter(f: CustomerFilter | None, ctx: FilterContext) -> ColumnElement[bool]:
    if f is None:
        return true()
    clauses: list[ColumnElement[bool]] = []
    for field in dataclasses.fields(f):
        value = getattr(f, field.name)
        if value is None or field.name in _COMBINATORS:
            continue
        clauses.append(_PREDICATES[field.name](value, ctx))
    clauses.extend(compile_filter(sub, ctx) for sub in f.all_of)
    if f.any_of:
        clauses.append(or_(*(compile_filter(sub, ctx) for sub in f.any_of)))
    if f.negate is not None:
        clauses.append(not_(compile_filter(f.negate, ctx)))
    return and_(true(), *clauses)


def _range(column: SQLColumnExpression[Any], r: Range[Any]) -> ColumnElement[bool]:
    clauses = []
    if r.min is not None:
        clauses.append(column >= r.min)
    if r.max is not None:
        clauses.append(column <= r.max)
    return and_(true(), *clauses)


def _tiers(tiers: tuple[Tier, ...], ctx: FilterContext) -> ColumnElement[bool]:
    ranges = []
    for tier in tiers:
        low, high = tier_bounds(tier, ctx.settings)
        bounds = []
        if low is not None:
            bounds.append(low <= AUM)
        if high is not None:
            bounds.append(high > AUM)
        ranges.append(and_(*bounds))
    return or_(false(), *ranges)


def _age(r: Range[int], ctx: FilterContext) -> ColumnElement[bool]:
    # age >= n  <=>  born on or before today n years ago
    clauses = []
    if r.min is not None:
        clauses.append(Customer.birth_date <= years_before(ctx.today, r.min))
    if r.max is not None:
        clauses.append(Customer.birth_date > years_before(ctx.today, r.max + 1))
    return and_(Customer.birth_date.is_not(None), *clauses)


def _holds(condition: ColumnElement[bool]) -> ColumnElement[bool]:
    return exists(
        select(Holding.id)
        .join(Product, Product.id == Holding.product_id)
        .where(Holding.customer_id == Customer.id, condition)
    )


_COMBINATORS = frozenset({"all_of", "any_of", "negate"})

_PREDICATES: dict[str, Callable[[Any, FilterContext], ColumnElement[bool]]] = {
    "tiers": _tiers,
    "risk_levels": lambda v, _: Customer.risk_level.in_(v),
    "cities": lambda v, _: Customer.city.in_(v),
    "provinces": lambda v, _: Customer.province.in_(v),
    "advisor_ids": lambda v, _: Customer.advisor_id.in_(v),
    "branches": lambda v, _: Customer.branch.in_(v),
    "aum": lambda v, _: _range(AUM, v),
    "onboarded": lambda v, _: _range(Customer.onboarded_at, v),
    "age": _age,
    "holds_products": lambda v, _: _holds(Product.code.in_(v)),
    "holds_categories": lambda v, _: _holds(Product.category.in_(v)),
}

_missing = {f.name for f in dataclasses.fields(CustomerFilter)} - _COMBINATORS - set(_PREDICATES)
if _missing:
    raise RuntimeError(f"customer filter fields without a compiler: {sorted(_missing)}")
