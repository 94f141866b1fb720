"""Money and quantities: thousands separators, currency marks and Chinese units.

``1,234.5`` → 1234.50, ``12万`` → 120000.00, ``1.5亿元`` → 150000000.00,
``¥3,000元`` → 3000.00. Amounts are yuan with two decimals; quantities (units held)
keep four.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from cdp.ingest.normalize.errors import Rejection
from cdp.ingest.normalize.text import fold, raw_text

_UNITS = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}
_NOISE = re.compile(r"[\s,，_¥￥]|CNY|RMB|人民币|元$")
_CENTS = Decimal("0.01")
_UNITS_Q = Decimal("0.0001")
_LIMIT = Decimal("1e17")


def _decimal(value: object, allow_units: bool) -> Decimal | None:
    if isinstance(value, bool):
        raise Rejection(None, "amount_invalid", f"not an amount: {value!r}")
    if isinstance(value, int | float):
        return Decimal(str(value))
    s = raw_text(value)
    if s is None:
        return None
    s = _NOISE.sub("", fold(s))
    multiplier = Decimal(1)
    if allow_units and s and s[-1] in _UNITS:
        multiplier = _UNITS[s[-1]]
        s = s[:-1]
    try:
        number = Decimal(s) * multiplier
    except InvalidOperation:
        raise Rejection(None, "amount_invalid", f"not an amount: {value!r}") from None
    if not number.is_finite() or abs(number) >= _LIMIT:
        raise Rejection(None, "amount_invalid", f"not an amount: {value!r}")
    return number


def amount(value: object) -> Decimal | None:
    """A non-negative amount of yuan, rounded to cents."""
    number = _decimal(value, allow_units=True)
    if number is None:
        return None
    if number < 0:
        raise Rejection(None, "amount_negative", f"an amount cannot be negative: {value!r}")
    return number.quantize(_CENTS, rounding=ROUND_HALF_UP)


def quantity(value: object) -> Decimal | None:
    """A non-negative number of units (four decimals, no currency units)."""
    number = _decimal(value, allow_units=False)
    if number is None:
        return None
    if number < 0:
        raise Rejection(None, "amount_negative", f"a quantity cannot be negative: {value!r}")
    return number.quantize(_UNITS_Q, rounding=ROUND_HALF_UP)
