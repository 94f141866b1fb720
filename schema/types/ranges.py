"""Inclusive range inputs used by filters (one small input per value type)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry

from cdp.customers.filters import Range
from cdp.errors import InvalidInput


def _checked(low: object, high: object, what: str) -> None:
    if low is not None and high is not None and low > high:  # type: ignore[operator]
        raise InvalidInput(f"{what}: min is greater than max", argument=what)


@strawberry.input(description="An inclusive range of whole numbers; omit a bound to leave it open.")
class IntRange:
    min: int | None = strawberry.field(default=None, description="Lowest value (inclusive).")
    max: int | None = strawberry.field(default=None, description="Highest value (inclusive).")

    def to_domain(self, what: str) -> Range[int]:
        _checked(self.min, self.max, what)
        return Range(self.min, self.max)


@strawberry.input(description="An inclusive range of amounts; omit a bound to leave it open.")
class DecimalRange:
    min: Decimal | None = strawberry.field(default=None, description="Lowest amount (inclusive).")
    max: Decimal | None = strawberry.field(default=None, description="Highest amount (inclusive).")

    def to_domain(self, what: str) -> Range[Decimal]:
        _checked(self.min, self.max, what)
        return Range(self.min, self.max)


@strawberry.input(description="An inclusive range of instants; omit a bound to leave it open.")
class DateTimeRange:
    min: datetime | None = strawberry.field(default=None, description="Earliest (inclusive).")
    max: datetime | None = strawberry.field(default=None, description="Latest (inclusive).")

    def to_domain(self, what: str) -> Range[datetime]:
        _checked(self.min, self.max, what)
        return Range(self.min, self.max)
