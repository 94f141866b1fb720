"""A plain evaluator of typed rules over Python values, to check the SQL against.

It follows SQL's semantics on purpose (three-valued logic, NULL propagation,
aggregates that skip NULLs, ``ntile`` over rows ordered by value then id), but
implements them the obvious way: a loop per customer and per row.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from tagging.language import typed
from tagging.language.catalogue import SOURCES
from tagging.language.types import Kind

_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


@dataclass
class Facts:
    """One customer: its row (catalogue names), its source rows, household and tags."""

    id: int
    customer: dict[str, Any]
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    household: int | None = None
    tags: dict[str, str] = field(default_factory=dict)


def _day(value: date | datetime) -> date:
    return value.astimezone(UTC).date() if isinstance(value, datetime) else value


def _age(birth: date, today: date) -> int:
    return today.year - birth.year - int((today.month, today.day) < (birth.month, birth.day))


class Reference:
    def __init__(self, population: Iterable[Facts], as_of: datetime) -> None:
        self.people = {f.id: f for f in population if f.customer.get("status") != "merged"}
        self.as_of = as_of
        self.today = as_of.astimezone(UTC).date()
        self._windows: dict[typed.Window, dict[int, Any]] = {}

    def value(self, expr: typed.Expr, customer_id: int) -> Any:
        """The tag value: boolean rules give True or None."""
        result = self.eval(expr, self.people[customer_id], None)
        if expr.type.kind is Kind.BOOLEAN:
            return True if result is True else None
        return result

    # --- expressions ------------------------------------------------------------

    def eval(self, expr: typed.Expr, who: Facts, row: Mapping[str, Any] | None) -> Any:
        match expr:
            case typed.Lit(value=v):
                return v
            case typed.Attr(name=name):
                return who.customer.get(name)
            case typed.RowField(name=name):
                assert row is not None
                return row.get(name)
            case typed.Feature(spec=spec):
                return self.spec(spec, who)
            case typed.Neg(operand=x):
                v = self.eval(x, who, row)
                return None if v is None else -v
            case typed.Arith(op=op, left=a, right=b):
                return _arith(op, self.eval(a, who, row), self.eval(b, who, row))
            case typed.Compare(op=op, left=a, right=b):
                return _compare(op, self.eval(a, who, row), self.eval(b, who, row))
            case typed.And(items=items):
                return _and([self.eval(i, who, row) for i in items])
            case typed.Or(items=items):
                return _or([self.eval(i, who, row) for i in items])
            case typed.Not(operand=x):
                v = self.eval(x, who, row)
                return None if v is None else not v
            case typed.In(operand=x, values=values, negated=negated):
                v = self.eval(x, who, row)
                return None if v is None else (v in values) != negated
            case typed.Between(operand=x, low=lo, high=hi):
                v = self.eval(x, who, row)
                low, high = self.eval(lo, who, row), self.eval(hi, who, row)
                return _and([_compare(">=", v, low), _compare("<=", v, high)])
            case typed.IsNull(operand=x, negated=negated):
                return (self.eval(x, who, row) is None) != negated
            case typed.Case(whens=whens, else_=else_):
                for cond, result in whens:
                    if self.eval(cond, who, row) is True:
                        return self.eval(result, who, row)
                return None if else_ is None else self.eval(else_, who, row)
            case typed.Func(name="abs", args=(x,)):
                v = self.eval(x, who, row)
                return None if v is None else abs(v)
            case typed.Func(name="enum_rank", args=(x,)):
                v = self.eval(x, who, row)
                return None if v is None else x.type.values.index(v)
            case typed.Func(name="coalesce", args=args):
                return next((v for a in args if (v := self.eval(a, who, row)) is not None), None)
        raise TypeError(expr)

    # --- features -----------------------------------------------------------------

    def spec(self, spec: typed.Spec, who: Facts) -> Any:
        match spec:
            case typed.Aggregate():
                return self._aggregate(spec, who)
            case typed.DaysSince(of=of):
                v = self.eval(of, who, None)
                return None if v is None else (self.today - _day(v)).days
            case typed.TagValue(key=key, type=t):
                raw = who.tags.get(key)
                if raw is None or t.kind is Kind.TEXT:
                    return raw
                return Decimal(raw) if t.kind is Kind.NUMBER else raw == "true"
            case typed.Window():
                if spec not in self._windows:
                    self._windows[spec] = self._window(spec)
                return self._windows[spec].get(who.id)
            case typed.Computed(attribute=attribute):
                return self._computed(attribute, who)
        raise TypeError(spec)

    def _computed(self, attribute: str, who: Facts) -> Any:
        if attribute == "aum":
            return sum((h["market_value"] for h in who.rows.get("holdings", [])), Decimal(0))
        if attribute == "age":
            birth = who.customer.get("birth_date")
            return None if birth is None else _age(birth, self.today)
        if attribute == "days_since_last_transaction":
            times = [t["occurred_at"] for t in who.rows.get("transactions", [])]
            return (self.today - _day(max(times))).days if times else None
        if attribute == "risk_assessment_expired":
            assessed = who.customer.get("risk_assessed_at")
            try:
                cutoff = self.today.replace(year=self.today.year - 1)
            except ValueError:
                cutoff = self.today.replace(year=self.today.year - 1, day=28)
            return assessed is None or assessed < cutoff
        if attribute.startswith("household."):
            if who.household is None:
                return None
            members = [f for f in self.people.values() if f.household == who.household]
            if attribute == "household.size":
                return len(members)
            return sum((self._computed("aum", m) for m in members), Decimal(0))
        raise KeyError(attribute)

    def _aggregate(self, spec: typed.Aggregate, who: Facts) -> Any:
        window = SOURCES[spec.source].window
        since = self.as_of - timedelta(days=spec.within_days or 0)
        rows = []
        for row in who.rows.get(spec.source, []):
            row = self._row(spec.source, row)
            if spec.within_days is not None and not since < row[window] <= self.as_of:
                continue
            if spec.where is not None and self.eval(spec.where, who, row) is not True:
                continue
            rows.append(row)
        if spec.func == "count":
            return len(rows)
        if spec.func == "exists":
            return bool(rows)
        assert spec.measure is not None
        values = [v for r in rows if (v := self.eval(spec.measure, who, r)) is not None]
        if spec.func == "sum":
            return sum(values, Decimal(0))
        if not values:
            return None
        if spec.func == "avg":
            return sum(values, Decimal(0)) / len(values)
        return min(values) if spec.func == "min" else max(values)

    def _row(self, source: str, row: Mapping[str, Any]) -> dict[str, Any]:
        out = dict(row)
        if source == "holdings":
            term = row.get("product.term_days")
            held = (self.today - _day(row["opened_at"])).days
            out["days_to_maturity"] = None if term is None else term - held
        return out

    def _window(self, spec: typed.Window) -> dict[int, Any]:
        scored = [(self.eval(spec.arg, f, None), f.id) for f in self.people.values()]
        ranked = sorted((v, i) for v, i in scored if v is not None)
        count = len(ranked)
        out: dict[int, Any] = {}
        if spec.func == "ntile":
            size, extra = divmod(count, spec.buckets)
            position = 0
            for bucket in range(1, spec.buckets + 1):
                take = size + (1 if bucket <= extra else 0)
                for _, customer_id in ranked[position : position + take]:
                    out[customer_id] = bucket
                position += take
            return out
        for value, customer_id in ranked:
            below = sum(1 for v, _ in ranked if v < value)
            out[customer_id] = 0.0 if count == 1 else below / (count - 1)
        return out


def _arith(op: str, a: Any, b: Any) -> Any:
    if a is None or b is None:
        return None
    a, b = Decimal(a), Decimal(b)
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    return None if b == 0 else a / b


def _compare(op: str, a: Any, b: Any) -> bool | None:
    if a is None or b is None:
        return None
    if isinstance(a, float) or isinstance(b, float):
        a, b = float(a), float(b)
    return _COMPARE[op](a, b)


def _and(values: list[Any]) -> bool | None:
    if any(v is False for v in values):
        return False
    return None if any(v is None for v in values) else True


def _or(values: list[Any]) -> bool | None:
    if any(v is True for v in values):
        return True
    return None if any(v is None for v in values) else False
