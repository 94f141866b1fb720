"""The types of the rule language.

Four kinds of value flow through a rule: booleans, numbers, text and dates. A
date only ever reaches a rule through ``days_since(…)``, which turns it into a
number of days, so tag predicates compare plain numbers. Text may carry the
closed set of values it can take (an enumeration such as ``gender`` or an enum
tag); comparing it with a literal outside that set is a type error.

``ValueType`` is also the type of a tag's value: boolean, enum (ordered values)
or number.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Kind(Enum):
    BOOLEAN = "boolean"
    NUMBER = "number"
    TEXT = "text"
    DATE = "date"
    OPAQUE = "opaque"  # present or not, never compared (an encrypted ID number)


@dataclass(frozen=True, slots=True)
class ValueType:
    kind: Kind
    values: tuple[str, ...] = ()  # the closed set of a text type, in order; () = open

    @staticmethod
    def boolean() -> ValueType:
        return BOOLEAN

    @staticmethod
    def number() -> ValueType:
        return NUMBER

    @staticmethod
    def enum(*values: str) -> ValueType:
        return ValueType(Kind.TEXT, tuple(values))

    @property
    def is_enum(self) -> bool:
        return self.kind is Kind.TEXT and bool(self.values)

    def describe(self) -> str:
        if self.is_enum:
            shown = ", ".join(repr(v) for v in self.values[:8])
            more = ", …" if len(self.values) > 8 else ""
            return f"text ({shown}{more})"
        return self.kind.value


BOOLEAN = ValueType(Kind.BOOLEAN)
NUMBER = ValueType(Kind.NUMBER)
TEXT = ValueType(Kind.TEXT)
DATE = ValueType(Kind.DATE)
OPAQUE = ValueType(Kind.OPAQUE)
