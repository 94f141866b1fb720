from __future__ import annotations

from decimal import Decimal

import pytest

from cdp.ingest.normalize import Rejection, amount, quantity


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1,234.5", "1234.50"),
        ("12万", "120000.00"),
        ("1.5亿元", "150000000.00"),
        ("¥3,000元", "3000.00"),
        ("３万", "30000.00"),
        (2500, "2500.00"),
        (12.5, "12.50"),
        ("", None),
    ],
)
def test_amount_units_and_separators(raw: object, expected: str | None) -> None:
    assert amount(raw) == (Decimal(expected) if expected else None)


def test_quantity_keeps_four_decimals() -> None:
    assert quantity("10,000.12345") == Decimal("10000.1235")


def test_negative_amount_is_rejected() -> None:
    with pytest.raises(Rejection) as exc:
        amount("-5万")
    assert exc.value.code == "amount_negative"


@pytest.mark.parametrize("raw", ["abc", "1.2.3", True, "NaN"])
def test_garbage_amount_is_rejected(raw: object) -> None:
    with pytest.raises(Rejection) as exc:
        amount(raw)
    assert exc.value.code == "amount_invalid"
