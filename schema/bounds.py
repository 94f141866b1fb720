"""Bounds of input values, declared beside the field or argument that takes them.

A value the database cannot hold (a risk level beyond a ``smallint``, an amount
beyond ``numeric(20, 2)``, a source name beyond ``varchar(32)``) or Python cannot
compute with (an age that leaves the calendar) would fail inside a statement as an
internal error. Declared here instead, as ``metadata=bounded(...)`` on a
``strawberry.field`` or ``strawberry.argument``, it is checked before anything runs
(``schema.extensions.inputs``) and refused as ``BAD_USER_INPUT`` naming the argument.
Bounds apply to every value inside the field's value: each item of a list, both
ends of a range.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

BOUNDS_KEY: Final = "cdp.bounds"


@dataclass(frozen=True)
class Bounds:
    """Inclusive numeric bounds and a string length limit; ``None`` leaves one open."""

    minimum: Decimal | None = None
    maximum: Decimal | None = None
    max_length: int | None = None


def bounded(
    minimum: int | None = None, maximum: int | None = None, max_length: int | None = None
) -> dict[str, Any]:
    """Field or argument metadata declaring ``Bounds``."""
    return {
        BOUNDS_KEY: Bounds(
            None if minimum is None else Decimal(minimum),
            None if maximum is None else Decimal(maximum),
            max_length,
        )
    }


# A PostgreSQL smallint column.
SMALLINT: Final = bounded(-(2**15), 2**15 - 1)
# Ages in whole years a birth date can have (0 to 150 keeps every date in the calendar).
AGE: Final = bounded(0, 150)
# A source-system name (varchar(32) wherever it is stored).
SOURCE_NAME: Final = bounded(max_length=32)
# Amounts are numeric(20, 2): fewer than 18 digits before the point. Every Decimal
# input is held to this unless its field declares other bounds.
AMOUNTS: Final = Bounds(Decimal(-(10**18) + 1), Decimal(10**18 - 1))
# How many answers a knowledge-graph list returns (cross-sell, referrers, prospects).
GRAPH_FIRST: Final = bounded(1, 50)
# How many referral hops ``referralNetwork`` follows.
REFERRAL_DEPTH: Final = bounded(1, 3)
# A customer number (varchar(32)).
CUSTOMER_NO: Final = bounded(max_length=32)
