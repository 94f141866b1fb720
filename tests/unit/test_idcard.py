from __future__ import annotations

from datetime import date

import pytest

from cdp.idcard import IdCardError, check_character, make_number, parse


def test_known_number_check_character() -> None:
    # The worked example of GB 11643-1999.
    assert check_character("11010519491231002") == "X"


def test_round_trip() -> None:
    number = make_number("310104", date(1985, 7, 9), 123)
    info = parse(number)
    assert info.birth_date == date(1985, 7, 9)
    assert info.gender == "M"
    assert info.province == "上海市"


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("1101051949123100", "id_number_format"),
        ("11010519491231002x", "id_number_format"),
        ("110105194912310021", "id_number_checksum"),
        (make_number("990101", date(1990, 1, 1), 1), "id_number_region"),
        (
            make_number("110105", date(1990, 1, 1), 1)[:6] + "19901301" + "0011",
            "id_number_checksum",
        ),
    ],
)
def test_rejections(number: str, code: str) -> None:
    with pytest.raises(IdCardError) as info:
        parse(number)
    assert info.value.code == code


def test_impossible_birth_date() -> None:
    first17 = "11010519900230001"
    with pytest.raises(IdCardError) as info:
        parse(first17 + check_character(first17))
    assert info.value.code == "id_number_birth_date"


def test_parse_judges_the_birth_date_against_the_given_day() -> None:
    number = make_number("110101", date(2020, 5, 1), 1)
    assert parse(number, date(2020, 5, 1)).birth_date == date(2020, 5, 1)
    with pytest.raises(IdCardError) as exc:
        parse(number, date(2020, 4, 30))
    assert exc.value.code == "id_number_birth_date"
