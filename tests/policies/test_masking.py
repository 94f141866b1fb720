"""Masking functions, including short, odd and missing values."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from policies.masking import (
    mask_bank_card,
    mask_default,
    mask_email,
    mask_id_number,
    mask_name,
    mask_phone,
    mask_withheld,
    masker_for,
)


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13800001234", "138****1234"),
        ("138-0000-1234", "138****1234"),
        ("+86 138 0000 1234", "138****1234"),
        ("008613800001234", "138****1234"),
        ("0755-12345678", "0755****5678"),
        ("075512345678", "0755****5678"),
        ("010-12345678", "010****5678"),
        ("(021) 1234 5678", "021****5678"),
        ("0755-1234567", "***********"),  # too short to keep both ends
        ("12345", "*****"),
        ("", ""),
        (None, None),
    ],
)
def test_phone(value: str | None, masked: str | None) -> None:
    assert mask_phone(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("110101199003071234", "1****************4"),
        ("11010119900307123X", "1****************X"),
        ("110101900307123", "1*************3"),  # 15-digit first-generation card
        ("12345678", "1******8"),
        ("12345", "*****"),  # too short to hide four characters
        ("", ""),
        (None, None),
    ],
)
def test_id_number(value: str | None, masked: str | None) -> None:
    assert mask_id_number(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("6222021234567891234", "622202*********1234"),
        ("6222 0212 3456 7890", "622202******7890"),
        ("62220212345", "***********"),
        ("", ""),
        (None, None),
    ],
)
def test_bank_card(value: str | None, masked: str | None) -> None:
    assert mask_bank_card(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("张三", "张*"),
        ("张三丰", "张**"),
        ("欧阳修", "欧阳*"),
        ("欧阳娜娜", "欧阳**"),
        ("司马相如", "司马**"),
        ("欧阳", "欧*"),  # two characters: surname and given name
        ("张", "*"),
        (" 李四 ", "李*"),
        ("John Smith", "J*** *****"),
        ("", ""),
        (None, None),
    ],
)
def test_name(value: str | None, masked: str | None) -> None:
    assert mask_name(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("alice@example.com", "a***@example.com"),
        ("a@example.com", "***@example.com"),
        ("first.last+tag@mail.example.cn", "f***@mail.example.cn"),
        ("not-an-address", "***"),
        ("@example.com", "***"),
        ("alice@", "***"),
        ("", ""),
        (None, None),
    ],
)
def test_email(value: str | None, masked: str | None) -> None:
    assert mask_email(value) == masked


@pytest.mark.parametrize(("value", "masked"), [("深圳", "***"), (12, None), (None, None), ("", "")])
def test_default(value: Any, masked: Any) -> None:
    assert mask_default(value) == masked


def test_each_sensitive_field_has_its_function() -> None:
    assert masker_for("Customer", "phone") is mask_phone
    assert masker_for("Customer", "idNumber") is mask_id_number
    assert masker_for("Customer", "name") is mask_name
    assert masker_for("Customer", "email") is mask_email
    assert masker_for("Customer", "birthDate") is mask_withheld
    assert mask_withheld(date(1990, 3, 7)) is None
    assert mask_withheld("1990-03-07") is None
    assert masker_for("Customer", "city") is mask_default
