"""One row of numbers per customer: the features every tag of a run reads.

``feature_query(specs, as_of=…)`` builds one ``SELECT``: the customer row's
catalogue fields, then one column per spec. Each source table (holdings,
transactions, interactions, referrals, household members) is scanned once,
grouped by customer, with one ``agg(…) FILTER (WHERE …)`` per aggregate and
time windows as bound timestamps relative to ``as_of``. Day counts (``age``,
``days_since``) are computed here, once per customer, so tag predicates compare
plain numbers. Windows (``ntile``, ``percent_rank``) rank every customer: a
full query keeps its features in a CTE and ranks them in a narrow subquery (a
sort of (id, value) pairs, not of whole rows); a query restricted to
``customer_ids`` computes only the windows' inputs for everyone, the rest for
the given customers.
The contract is described in ``tagging.compiler``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Date,
    FromClause,
    Numeric,
    Select,
    case,
    cast,
    false,
    func,
    literal,
    null,
    or_,
    over,
    select,
)

from cdp.db.models import Customer
from tagging.compiler.aggregates import (
    ALIASES,
    as_of_day,
    days_between,
    household_query,
    source_query,
)
from tagging.compiler.sql import to_sql
from tagging.language import typed
from tagging.language.catalogue import CUSTOMER_FIELDS
from tagging.language.types import Kind
from tagging.language.walk import nodes
from tagging.language.walk import specs as specs_of


def closure(wanted: Iterable[typed.Spec]) -> list[typed.Spec]:
    """The specs and everything they are computed from, inner ones first."""
    out: dict[typed.Spec, None] = {}

    def add(spec: typed.Spec) -> None:  # specs nest a few levels at most
        if spec in out:
            return
        for dep in _depends_on(spec):
            add(dep)
        out[spec] = None

    for spec in wanted:
        add(spec)
    return list(out)


def _depends_on(spec: typed.Spec) -> list[typed.Spec]:
    if isinstance(spec, typed.Computed) and spec.attribute in ALIASES:
        return [ALIASES[spec.attribute]]
    if isinstance(spec, typed.Window):
        return specs_of(spec.arg)
    if isinstance(spec, typed.DaysSince):
        return specs_of(spec.of)
    return []


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def feature_query(
    aggregates: Iterable[typed.Spec],
    *,
    as_of: datetime,
    customer_ids: Select[Any] | None = None,
    tag_values: FromClause | None = None,
    attributes: Iterable[str] | None = None,
) -> Select[Any]:
    """One row per customer: ``customer_id``, customer fields, one column per spec.

    ``attributes`` limits the customer fields to those named (all by default;
    ``CompiledRule.attributes`` lists a rule's), which keeps the row narrow.
    """
    wanted = closure(aggregates)
    fields = set(CUSTOMER_FIELDS) if attributes is None else set(attributes)
    windows = [s for s in wanted if isinstance(s, typed.Window)]
    plain = [s for s in wanted if not isinstance(s, typed.Window)]
    if not windows:
        return _features(plain, fields, as_of, customer_ids, tag_values)
    inputs = closure(s for w in windows for s in specs_of(w.arg))
    read = {n.name for w in windows for n in nodes(w.arg) if isinstance(n, typed.Attr)}
    if customer_ids is None:
        # one pass: the features as a CTE, read again (narrowly) to rank everyone
        main: FromClause = _features(plain, fields | read, as_of, None, tag_values).cte("features")
        population = main
    else:
        # ranks need everyone's window inputs only; the rest is for the given customers
        main = _features(plain, fields, as_of, customer_ids, tag_values).subquery("features")
        population = _features(inputs, read, as_of, None, tag_values).subquery("population")
    env = _FeatureEnv({n: population.c[n] for n in read}, {s: population.c[s.name] for s in inputs})
    ranks = select(
        population.c.customer_id,
        *(_window(w, population, env).label(w.name) for w in windows),
    ).subquery("ranks")
    return select(
        *(c for c in main.c if c.name in fields or c.name not in CUSTOMER_FIELDS),
        *(ranks.c[w.name] for w in windows),
    ).join_from(main, ranks, ranks.c.customer_id == main.c.customer_id)


def _features(
    wanted: list[typed.Spec],
    fields: set[str],
    as_of: datetime,
    ids: Select[Any] | None,
    tag_values: FromClause | None,
) -> Select[Any]:
    """The feature row without windows."""
    base_cols: dict[str, ColumnElement[Any]] = {
        name: getattr(Customer, attr.column)
        for name, attr in CUSTOMER_FIELDS.items()
        if name in fields
    }
    stmt: Select[Any] = select(Customer.id.label("customer_id")).where(Customer.status != "merged")
    if ids is not None:
        stmt = stmt.where(Customer.id.in_(ids))
    by_source: dict[str, list[typed.Aggregate]] = {}
    for spec in wanted:
        if isinstance(spec, typed.Aggregate):
            by_source.setdefault(spec.source, []).append(spec)
    columns: dict[typed.Spec, ColumnElement[Any]] = {}
    for source, aggs in by_source.items():
        sub = source_query(source, aggs, as_of, ids)
        stmt = stmt.outerjoin(sub, sub.c.customer_id == Customer.id)
        for agg in aggs:
            column: ColumnElement[Any] = sub.c[agg.name]
            if agg.func in ("count", "sum"):
                column = func.coalesce(column, 0)
            elif agg.func == "exists":
                column = func.coalesce(column > 0, false())
            columns[agg] = column
    household: dict[str, ColumnElement[Any]] = {}
    if any(isinstance(s, typed.Computed) and s.attribute.startswith("household.") for s in wanted):
        sub = household_query(ids)
        stmt = stmt.outerjoin(sub, sub.c.customer_id == Customer.id)
        household = {"household.aum": sub.c.household_aum, "household.size": sub.c.household_size}
    tags = [s for s in wanted if isinstance(s, typed.TagValue)]
    if tags:
        if tag_values is None:
            raise ValueError("rules read other tags: pass tag_values")
        pivot = _tag_pivot(tag_values, tags)
        stmt = stmt.outerjoin(pivot, pivot.c.customer_id == Customer.id)
        for tag in tags:
            columns[tag] = _typed_text(pivot.c[tag.name], tag)
    customer = {n: getattr(Customer, a.column) for n, a in CUSTOMER_FIELDS.items()}
    env = _FeatureEnv(customer, columns)
    for spec in wanted:
        if spec not in columns:
            columns[spec] = _derived(spec, as_of, household, env)
    return stmt.add_columns(
        *(col.label(name) for name, col in base_cols.items()),
        *(columns[s].label(s.name) for s in wanted),
    )


def _tag_pivot(tag_values: FromClause, tags: list[typed.TagValue]) -> FromClause:
    keys = sorted({t.key for t in tags})
    return (
        select(
            tag_values.c.customer_id,
            *(
                func.max(tag_values.c.value).filter(tag_values.c.tag_key == t.key).label(t.name)
                for t in tags
            ),
        )
        .where(tag_values.c.tag_key.in_(keys))
        .group_by(tag_values.c.customer_id)
        .subquery("f_tags")
    )


def _typed_text(column: ColumnElement[Any], tag: typed.TagValue) -> ColumnElement[Any]:
    if tag.type.kind is Kind.NUMBER:
        return cast(column, Numeric())
    if tag.type.kind is Kind.BOOLEAN:
        return cast(column, Boolean())
    return column


class _FeatureEnv:
    """Customer fields and already-built spec columns, for specs built from others."""

    def __init__(
        self, attrs: dict[str, ColumnElement[Any]], specs: dict[typed.Spec, ColumnElement[Any]]
    ) -> None:
        self.attrs, self.specs = attrs, specs

    def attr(self, name: str) -> ColumnElement[Any]:
        return self.attrs[name]

    def row(self, name: str) -> ColumnElement[Any]:
        raise TypeError(name)

    def feature(self, spec: typed.Spec) -> ColumnElement[Any]:
        return self.specs[spec]


def _derived(
    spec: typed.Spec,
    as_of: datetime,
    household: dict[str, ColumnElement[Any]],
    env: _FeatureEnv,
) -> ColumnElement[Any]:
    if isinstance(spec, typed.DaysSince):
        return days_between(as_of, to_sql(spec.of, env))
    assert isinstance(spec, typed.Computed), spec
    if spec.attribute in ALIASES:
        alias = ALIASES[spec.attribute]
        return env.specs[alias]
    if spec.attribute == "age":
        day = literal(as_of_day(as_of), Date())
        return cast(func.date_part("year", func.age(day, Customer.birth_date)), Numeric())
    if spec.attribute == "risk_assessment_expired":
        cutoff = _years_before(as_of_day(as_of), 1)
        assessed = Customer.risk_assessed_at
        return or_(assessed.is_(None), assessed < literal(cutoff, Date()))
    if spec.attribute.startswith("household."):
        return household[spec.attribute]
    raise ValueError(f"no feature for {spec!r}")


def _window(spec: typed.Window, inner: FromClause, env: _FeatureEnv) -> ColumnElement[Any]:
    arg = to_sql(spec.arg, env)
    missing = arg.is_(None)
    if spec.func == "ntile":
        ranked: Any = over(
            func.ntile(spec.buckets), partition_by=missing, order_by=(arg, inner.c.customer_id)
        )
    else:
        ranked = over(func.percent_rank(), partition_by=missing, order_by=arg)
    return case((missing, null()), else_=ranked)
