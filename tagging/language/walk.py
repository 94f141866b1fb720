"""Iterative walks over typed rules (rules are bounded, but walks need no stack)."""

from __future__ import annotations

from collections.abc import Iterator

from tagging.language import typed


def children(expr: typed.Expr) -> tuple[typed.Expr, ...]:
    """Direct sub-expressions evaluated per customer (not inside aggregates' rows)."""
    match expr:
        case typed.Neg(operand=x) | typed.Not(operand=x) | typed.IsNull(operand=x):
            return (x,)
        case typed.In(operand=x):
            return (x,)
        case typed.Arith(left=a, right=b) | typed.Compare(left=a, right=b):
            return (a, b)
        case typed.And(items=items) | typed.Or(items=items) | typed.Func(args=items):
            return items
        case typed.Between(operand=x, low=lo, high=hi):
            return (x, lo, hi)
        case typed.Case(whens=whens, else_=else_):
            out = [e for pair in whens for e in pair]
            return (*out, else_) if else_ is not None else tuple(out)
    return ()


def nodes(expr: typed.Expr) -> Iterator[typed.Expr]:
    """Every customer-level node, pre-order (features are leaves here)."""
    stack = [expr]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(children(node)))


def specs(expr: typed.Expr) -> list[typed.Spec]:
    """Every spec the expression needs, inner ones (of windows, days_since) first."""
    out: dict[typed.Spec, None] = {}
    pending: list[tuple[typed.Spec, bool]] = []
    for node in nodes(expr):
        if isinstance(node, typed.Feature):
            pending.append((node.spec, False))
    while pending:
        spec, expanded = pending.pop()
        if expanded or spec in out:
            out.setdefault(spec, None)
            continue
        inner = _inner(spec)
        pending.append((spec, True))
        for node in nodes(inner) if inner is not None else ():
            if isinstance(node, typed.Feature) and node.spec not in out:
                pending.append((node.spec, False))
    return list(out)


def _inner(spec: typed.Spec) -> typed.Expr | None:
    if isinstance(spec, typed.Window):
        return spec.arg
    if isinstance(spec, typed.DaysSince):
        return spec.of
    return None
