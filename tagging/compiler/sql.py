"""Typed expressions → SQLAlchemy expressions, every literal a bound parameter.

One translation serves two places: tag rules over the feature row (``env`` maps
attributes and specs to feature columns) and aggregate filters over source rows
(``env`` maps row fields to table columns). Division by zero gives NULL, as
in the reference evaluator, rather than aborting a run.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import (
    ColumnElement,
    Numeric,
    String,
    and_,
    case,
    cast,
    false,
    func,
    literal,
    not_,
    or_,
    true,
)

from tagging.language import typed
from tagging.language.types import Kind

_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


class Env(Protocol):
    """Where the columns of an expression's leaves come from."""

    def attr(self, name: str) -> ColumnElement[Any]: ...

    def row(self, name: str) -> ColumnElement[Any]: ...

    def feature(self, spec: typed.Spec) -> ColumnElement[Any]: ...


def to_sql(expr: typed.Expr, env: Env) -> ColumnElement[Any]:
    match expr:
        case typed.Lit(value=bool() as b):
            return true() if b else false()
        case typed.Lit(value=Decimal() as d):
            return literal(d, Numeric())
        case typed.Lit(value=str() as s):
            return literal(s, String())
        case typed.Attr(name=name):
            return env.attr(name)
        case typed.RowField(name=name):
            return env.row(name)
        case typed.Feature(spec=spec):
            return env.feature(spec)
        case typed.Neg(operand=x):
            return -to_sql(x, env)
        case typed.Arith(op=op, left=a, right=b):
            return _arith(op, to_sql(a, env), to_sql(b, env))
        case typed.Compare(op=op, left=a, right=b):
            result: ColumnElement[Any] = _COMPARE[op](to_sql(a, env), to_sql(b, env))
            return result
        case typed.And(items=items):
            return and_(*(to_sql(i, env) for i in items))
        case typed.Or(items=items):
            return or_(*(to_sql(i, env) for i in items))
        case typed.Not(operand=x):
            return not_(to_sql(x, env))
        case typed.In(operand=x, values=values, negated=negated):
            column = to_sql(x, env)
            return column.not_in(values) if negated else column.in_(values)
        case typed.Between(operand=x, low=lo, high=hi):
            return to_sql(x, env).between(to_sql(lo, env), to_sql(hi, env))
        case typed.IsNull(operand=x, negated=negated):
            column = to_sql(x, env)
            return column.is_not(None) if negated else column.is_(None)
        case typed.Case(whens=whens, else_=else_):
            return case(
                *((to_sql(c, env), to_sql(r, env)) for c, r in whens),
                else_=to_sql(else_, env) if else_ is not None else None,
            )
        case typed.Func(name="abs", args=(x,)):
            return func.abs(to_sql(x, env))
        case typed.Func(name="enum_rank", args=(x,)):
            # the value's position among the enum's values, each a bound parameter
            ranks = {value: n for n, value in enumerate(x.type.values)}
            return case(ranks, value=to_sql(x, env))
        case typed.Func(name="coalesce", args=args):
            return func.coalesce(*(to_sql(a, env) for a in args))
    raise TypeError(f"cannot compile {type(expr).__name__}")


def _arith(op: str, left: ColumnElement[Any], right: ColumnElement[Any]) -> ColumnElement[Any]:
    if op == "+":
        return left + right
    if op == "-":
        return left - right
    if op == "*":
        return left * right
    # NUMERIC division (never integer division of counts), NULL for a zero divisor
    return cast(left, Numeric()) / func.nullif(cast(right, Numeric()), 0)


def as_tag_value(expr: typed.Expr, column: ColumnElement[Any]) -> ColumnElement[Any]:
    """A boolean rule gives TRUE or NULL: a customer either has the tag or not."""
    if expr.type.kind is Kind.BOOLEAN:
        return case((column, true()))
    return column
