"""Typed expressions back to rule text: labels for evidence and feature columns."""

from __future__ import annotations

from decimal import Decimal

from tagging.language import typed


def render(expr: typed.Expr) -> str:
    """Canonical text of an expression (bounded depth, as rules are)."""
    match expr:
        case typed.Lit(value=bool() as b):
            return "true" if b else "false"
        case typed.Lit(value=Decimal() as d):
            return _number(d)
        case typed.Lit(value=str() as s):
            return _quote(s)
        case typed.Attr(name=name) | typed.RowField(name=name):
            return name
        case typed.Feature(spec=spec):
            return render_spec(spec)
        case typed.Neg(operand=x):
            return f"-{render(x)}"
        case typed.Compare(op=op, left=a, right=b) if _ranked(a) or _ranked(b):
            return f"{_enum_side(a, b)} {op} {_enum_side(b, a)}"
        case typed.Arith(op=op, left=a, right=b) | typed.Compare(op=op, left=a, right=b):
            return f"{_wrap(a)} {op} {_wrap(b)}"
        case typed.And(items=items):
            return " and ".join(_wrap(i) for i in items)
        case typed.Or(items=items):
            return " or ".join(_wrap(i) for i in items)
        case typed.Not(operand=x):
            return f"not {_wrap(x)}"
        case typed.In(operand=x, values=values, negated=negated):
            shown = ", ".join(_number(v) if isinstance(v, Decimal) else _quote(v) for v in values)
            return f"{_wrap(x)} {'not in' if negated else 'in'} ({shown})"
        case typed.Between(operand=x, low=lo, high=hi):
            return f"{_wrap(x)} between {_wrap(lo)} and {_wrap(hi)}"
        case typed.IsNull(operand=x, negated=negated):
            return f"{_wrap(x)} is {'not ' if negated else ''}null"
        case typed.Case(whens=whens, else_=else_):
            parts = [f"when {render(c)} then {render(r)}" for c, r in whens]
            tail = f" else {render(else_)}" if else_ is not None else ""
            return f"case {' '.join(parts)}{tail} end"
        case typed.Func(name="enum_rank", args=(x,)):
            return render(x)
        case typed.Func(name=name, args=args):
            return f"{name}({', '.join(render(a) for a in args)})"
    raise TypeError(f"cannot render {type(expr).__name__}")


def render_spec(spec: typed.Spec) -> str:
    match spec:
        case typed.Computed(attribute=attribute):
            return attribute
        case typed.Aggregate(func=func, source=source, measure=measure, where=where):
            target = f"{source}.{render(measure)}" if measure is not None else source
            cond = f" where {render(where)}" if where is not None else ""
            window = f" within {spec.within_days}d" if spec.within_days else ""
            return f"{func}({target}{cond}{window})"
        case typed.DaysSince(of=of):
            return f"days_since({render(of)})"
        case typed.TagValue(key=key):
            return f"tag({_quote(key)})"
        case typed.Window(func="ntile", buckets=buckets, arg=arg):
            return f"ntile({buckets}, {render(arg)})"
        case typed.Window(func=func, arg=arg):
            return f"{func}({render(arg)})"
    raise TypeError(f"cannot render {type(spec).__name__}")


def _wrap(expr: typed.Expr) -> str:
    text = render(expr)
    simple = (typed.Lit, typed.Attr, typed.RowField, typed.Feature, typed.Func, typed.Case)
    return text if isinstance(expr, simple) else f"({text})"


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ranked(expr: typed.Expr) -> bool:
    return isinstance(expr, typed.Func) and expr.name == "enum_rank"


def _enum_side(expr: typed.Expr, other: typed.Expr) -> str:
    """An enum comparison shows the value, not its position."""
    if isinstance(expr, typed.Lit) and isinstance(expr.value, Decimal) and _ranked(other):
        assert isinstance(other, typed.Func)
        return _quote(other.args[0].type.values[int(expr.value)])
    return _wrap(expr)
