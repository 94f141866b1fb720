from __future__ import annotations

from datetime import date

import pytest

from cdp.idcard import make_number
from cdp.ingest.normalize import Rejection, id_number

NUMBER = make_number("310101", date(1985, 3, 12), 123)  # male


def test_lower_case_x_and_spaces_are_normalised() -> None:
    with_x = next(
        make_number("110101", date(1980, 1, 1), s)
        for s in range(1000)
        if make_number("110101", date(1980, 1, 1), s).endswith("X")
    )
    parsed = id_number(f" {with_x[:6]} {with_x[6:].lower()} ", "id_card", None, None)
    assert parsed is not None
    assert parsed.number == with_x


def test_birth_date_and_gender_come_from_the_card() -> None:
    parsed = id_number(NUMBER, "id_card", None, None)
    assert parsed is not None
    assert (parsed.birth_date, parsed.gender) == (date(1985, 3, 12), "M")


def test_fifteen_digit_numbers_are_upgraded() -> None:
    old = NUMBER[:6] + NUMBER[8:17]
    parsed = id_number(old, "id_card", None, None)
    assert parsed is not None
    assert parsed.number == NUMBER


@pytest.mark.parametrize(
    ("raw", "birth", "gender", "code"),
    [
        (NUMBER[:-1] + ("0" if NUMBER[-1] != "0" else "1"), None, None, "id_number_checksum"),
        ("12345", None, None, "id_number_format"),
        (make_number("990101", date(1985, 3, 12), 1), None, None, "id_number_region"),
        (NUMBER, date(1985, 3, 13), None, "id_birth_date_mismatch"),
        (NUMBER, None, "F", "id_gender_mismatch"),
    ],
)
def test_bad_numbers_are_rejected(
    raw: str, birth: date | None, gender: str | None, code: str
) -> None:
    with pytest.raises(Rejection) as exc:
        id_number(raw, "id_card", birth, gender)
    assert exc.value.code == code


def test_other_documents_are_only_shape_checked() -> None:
    parsed = id_number("e1234567", "passport", None, None)
    assert parsed is not None
    assert parsed.number == "E1234567"
