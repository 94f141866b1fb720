"""The parsed rule, before types: what the author wrote, with positions.

Nodes carry the 1-based ``line`` and ``column`` where they start so the type
checker can point at them. ``And``/``Or`` are n-ary (a rule of 500 alternatives
stays flat); arithmetic is left-deep, bounded by the parser's depth limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Node:
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Number(Node):
    value: Decimal


@dataclass(frozen=True, slots=True)
class String(Node):
    value: str


@dataclass(frozen=True, slots=True)
class Bool(Node):
    value: bool


@dataclass(frozen=True, slots=True)
class Name(Node):
    path: tuple[str, ...]  # ("risk_level",), ("product", "category")

    @property
    def dotted(self) -> str:
        return ".".join(self.path)


@dataclass(frozen=True, slots=True)
class Neg(Node):
    operand: Node


@dataclass(frozen=True, slots=True)
class Arith(Node):
    op: str  # + - * /
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Compare(Node):
    op: str  # = != < <= > >=  (normalised)
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class And(Node):
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or(Node):
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not(Node):
    operand: Node


@dataclass(frozen=True, slots=True)
class In(Node):
    operand: Node
    values: tuple[Number | String, ...]
    negated: bool


@dataclass(frozen=True, slots=True)
class Between(Node):
    operand: Node
    low: Node
    high: Node


@dataclass(frozen=True, slots=True)
class IsNull(Node):
    operand: Node
    negated: bool


@dataclass(frozen=True, slots=True)
class Case(Node):
    whens: tuple[tuple[Node, Node], ...]
    else_: Node | None


@dataclass(frozen=True, slots=True)
class Arg(Node):
    expr: Node
    where: Node | None
    within_days: int | None


@dataclass(frozen=True, slots=True)
class Call(Node):
    name: str
    args: tuple[Arg, ...]
