"""The typed rule: what the compiler and the reference evaluator read.

Nodes hold no positions, so equal sub-expressions are equal values: two tags
that both say ``count(transactions within 90d)`` share one ``Aggregate`` spec,
hence one column of the feature query. Everything a rule needs per customer
beyond the customer row is a ``Spec`` inside a ``Feature`` node.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from tagging.language.types import BOOLEAN, ValueType


@dataclass(frozen=True, slots=True)
class Expr:
    type: ValueType


@dataclass(frozen=True, slots=True)
class Lit(Expr):
    value: Decimal | str | bool


@dataclass(frozen=True, slots=True)
class Attr(Expr):
    """A field of the customer row (catalogue ``CUSTOMER_FIELDS``)."""

    name: str


@dataclass(frozen=True, slots=True)
class RowField(Expr):
    """A field of the row being aggregated (``kind``, ``product.category``)."""

    name: str


@dataclass(frozen=True, slots=True)
class Feature(Expr):
    spec: Spec


@dataclass(frozen=True, slots=True)
class Neg(Expr):
    operand: Expr


@dataclass(frozen=True, slots=True)
class Arith(Expr):
    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class Compare(Expr):
    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class And(Expr):
    items: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Or(Expr):
    items: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Not(Expr):
    operand: Expr


@dataclass(frozen=True, slots=True)
class In(Expr):
    operand: Expr
    values: tuple[Decimal | str, ...]
    negated: bool


@dataclass(frozen=True, slots=True)
class Between(Expr):
    operand: Expr
    low: Expr
    high: Expr


@dataclass(frozen=True, slots=True)
class IsNull(Expr):
    operand: Expr
    negated: bool


@dataclass(frozen=True, slots=True)
class Case(Expr):
    whens: tuple[tuple[Expr, Expr], ...]
    else_: Expr | None


@dataclass(frozen=True, slots=True)
class Func(Expr):
    """``abs(x)``, ``coalesce(x, y, …)``: plain functions of their arguments."""

    name: str
    args: tuple[Expr, ...]


# --- specs: per-customer values computed once in the feature query -------------


@dataclass(frozen=True, slots=True)
class Spec:
    type: ValueType

    @property
    def name(self) -> str:
        """A stable column name: equal specs, equal names, across processes."""
        return _name(self)

    def _prefix(self) -> str:
        return re.sub(r"[^a-z0-9]+", "_", type(self).__name__.lower())


@dataclass(frozen=True, slots=True)
class Computed(Spec):
    """A catalogue attribute computed per customer (``aum``, ``household.aum``)."""

    attribute: str

    @property
    def name(self) -> str:
        return self.attribute.replace(".", "_")


@dataclass(frozen=True, slots=True)
class Aggregate(Spec):
    """``func(source[.measure] where … within Nd)`` over one source table."""

    func: str  # count, exists, sum, avg, min, max
    source: str
    measure: Expr | None
    where: Expr | None
    within_days: int | None

    def _prefix(self) -> str:
        return f"{self.func}_{self.source}"


@dataclass(frozen=True, slots=True)
class DaysSince(Spec):
    """Whole days from a date (a customer field or a min/max aggregate) to the run's day."""

    of: Expr


@dataclass(frozen=True, slots=True)
class TagValue(Spec):
    """Another tag's current value (NULL when the customer does not have it)."""

    key: str

    def _prefix(self) -> str:
        return "tag"


@dataclass(frozen=True, slots=True)
class Window(Spec):
    """``ntile(n, x)`` / ``percent_rank(x)`` over every customer with a non-null x."""

    func: str
    buckets: int
    arg: Expr


@lru_cache(maxsize=65_536)
def _name(spec: Spec) -> str:
    # keyed on the spec's value (specs are frozen), computed once per distinct spec
    digest = hashlib.sha1(repr(spec).encode(), usedforsecurity=False).hexdigest()[:12]
    return f"{spec._prefix()}_{digest}"


def has_tag(key: str, value_type: ValueType) -> Expr:
    return IsNull(BOOLEAN, Feature(value_type, TagValue(value_type, key)), negated=True)
