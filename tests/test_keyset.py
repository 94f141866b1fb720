"""Keyset cursors: opaque, typed, tied to one ordering; page arguments validated."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from cdp.db.models import Customer
from cdp.errors import InvalidInput
from cdp.keyset import Ordering, decode_cursor, encode_cursor, window


def _ordering(kind: type, descending: bool = False) -> Ordering:
    return Ordering("k", Customer.name, Customer.id, "name", kind, descending)


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        (str, "张三"),
        (int, 7),
        (Decimal, Decimal("123.45")),
        (datetime, datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)),
        (date, date(2024, 1, 2)),
    ],
)
def test_round_trip(kind: type, value: Any) -> None:
    ordering = _ordering(kind)
    cursor = encode_cursor(ordering, value, 42)
    assert "=" not in cursor
    assert decode_cursor(ordering, cursor) == (value, 42)


def test_cursor_is_tied_to_ordering_and_direction() -> None:
    cursor = encode_cursor(_ordering(str), "a", 1)
    with pytest.raises(InvalidInput):
        decode_cursor(_ordering(str, descending=True), cursor)
    with pytest.raises(InvalidInput):
        decode_cursor(_ordering(int), cursor)


def test_window_defaults_and_limits() -> None:
    ordering = _ordering(str)
    win = window(ordering, first=None, after=None, last=None, before=None, max_size=100)
    assert (win.size, win.forward, win.after) == (100, True, None)
    with pytest.raises(InvalidInput) as raised:
        window(ordering, first=101, after=None, last=None, before=None, max_size=100)
    assert raised.value.details["maximum"] == 100
