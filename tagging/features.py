"""One row of numbers per customer: the features every tag of a run reads.

``feature_query(specs, as_of=…)`` builds one ``SELECT``: the customer row's
catalogue fields, then one column per spec. Each source table (holdings,
transactions, interactions, referrals, household members) is scanned once,
grouped by customer, with one ``agg(…) FILTER (WHERE …)`` per aggregate and
time windows as bound timestamps relative to ``as_of``. Day counts (``age``,
``days_since``) are computed here, once per customer, so tag predicates compare
plain numbers. Windows (``ntile``, ``percent_rank``) are computed over every
customer in an outer query before ``customer_ids`` restricts the rows.
The contract is described in ``tagging.compiler``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Date,
    FromClause,
    Numeric,
    Select,
    and_,
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
from tagging.language.types import DATE, NUMBER, Kind
from tagging.language.walk import specs as specs_of

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


def as_of_day(as_of: datetime) -> date:
    return as_of.astimezone(UTC).date()


def _days_between(as_of: datetime, value: Any) -> ColumnElement[Any]:
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
            return Product.term_days - _days_between(self.as_of, Holding.opened_at)
        return getattr(_TABLES[self.source], name)  # type: ignore[no-any-return]

    def attr(self, name: str) -> ColumnElement[Any]:
        self.needs_customer = True
        return getattr(Customer, CUSTOMER_FIELDS[name].column)  # type: ignore[no-any-return]

    def feature(self, spec: typed.Spec) -> ColumnElement[Any]:
        raise TypeError("features are not available inside an aggregate")


def _aggregate_column(spec: typed.Aggregate, env: _RowEnv) -> ColumnElement[Any]:
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


def _source_query(
    source: str, aggs: list[typed.Aggregate], as_of: datetime, ids: Select[Any] | None
) -> FromClause:
    env = _RowEnv(source, as_of)
    columns = [_aggregate_column(a, env) for a in aggs]
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


def _household_query(ids: Select[Any] | None) -> FromClause:
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
) -> Select[Any]:
    """One row per customer: ``customer_id``, customer fields, one column per spec."""
    wanted = closure(aggregates)
    windows = [s for s in wanted if isinstance(s, typed.Window)]
    ids = customer_ids if not windows else None
    base_cols: dict[str, ColumnElement[Any]] = {
        name: getattr(Customer, attr.column) for name, attr in CUSTOMER_FIELDS.items()
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
        sub = _source_query(source, aggs, as_of, ids)
        stmt = stmt.outerjoin(sub, sub.c.customer_id == Customer.id)
        for agg in aggs:
            column: ColumnElement[Any] = sub.c[agg.name]
            if agg.func in ("count", "sum"):
                column = func.coalesce(column, 0)
            elif agg.func == "exists":
                column = func.coalesce(column > 0, false())
            columns[agg] = column
    if any(isinstance(s, typed.Computed) and s.attribute.startswith("household.") for s in wanted):
        household = _household_query(ids)
        stmt = stmt.outerjoin(household, household.c.customer_id == Customer.id)
        base_cols["household.aum"] = household.c.household_aum
        base_cols["household.size"] = household.c.household_size
    tags = [s for s in wanted if isinstance(s, typed.TagValue)]
    if tags:
        if tag_values is None:
            raise ValueError("rules read other tags: pass tag_values")
        pivot = _tag_pivot(tag_values, tags)
        stmt = stmt.outerjoin(pivot, pivot.c.customer_id == Customer.id)
        for tag in tags:
            columns[tag] = _typed_text(pivot.c[tag.name], tag)
    env = _FeatureEnv(base_cols, columns)
    for spec in wanted:
        if spec in columns or isinstance(spec, typed.Window):
            continue
        columns[spec] = _derived(spec, as_of, base_cols, env)
    stmt = stmt.add_columns(
        *(col.label(name) for name, col in base_cols.items() if "." not in name),
        *(columns[s].label(s.name) for s in wanted if s in columns),
    )
    if not windows:
        return stmt
    inner = stmt.subquery("features")
    inner_env = _FeatureEnv({n: inner.c[n] for n in CUSTOMER_FIELDS}, {})
    inner_env.by_name = {s.name: inner.c[s.name] for s in wanted if s in columns}
    outer = select(inner, *(_window(w, inner, inner_env).label(w.name) for w in windows))
    if customer_ids is not None:
        ranked = outer.subquery("ranked")
        return select(*ranked.c).where(ranked.c.customer_id.in_(customer_ids))
    return outer


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
    def __init__(
        self, attrs: dict[str, ColumnElement[Any]], specs: dict[typed.Spec, ColumnElement[Any]]
    ) -> None:
        self.attrs, self.specs = attrs, specs
        self.by_name: dict[str, ColumnElement[Any]] = {}

    def attr(self, name: str) -> ColumnElement[Any]:
        return self.attrs[name]

    def row(self, name: str) -> ColumnElement[Any]:
        raise TypeError(name)

    def feature(self, spec: typed.Spec) -> ColumnElement[Any]:
        return self.by_name[spec.name] if self.by_name else self.specs[spec]


def _derived(
    spec: typed.Spec, as_of: datetime, base: dict[str, ColumnElement[Any]], env: _FeatureEnv
) -> ColumnElement[Any]:
    if isinstance(spec, typed.DaysSince):
        return _days_between(as_of, to_sql(spec.of, env))
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
        return base[spec.attribute]
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
