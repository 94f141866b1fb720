"""Identity document numbers, checked against the birth date and gender columns."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from cdp.idcard import IdCardError, check_character, parse
from cdp.ingest.normalize.errors import RejectCode, Rejection
from cdp.ingest.normalize.text import fold, raw_text

_OTHER = re.compile(r"^[A-Z0-9]{5,20}$")
_CODES: dict[str, RejectCode] = {
    "id_number_format": "id_number_format",
    "id_number_checksum": "id_number_checksum",
    "id_number_region": "id_number_region",
    "id_number_birth_date": "id_number_birth_date",
}


@dataclass(frozen=True)
class IdNumber:
    number: str
    birth_date: date | None
    gender: str | None


def _upgrade_15(number: str) -> str:
    """A first-generation 15-digit card number as its 18-character form (born 19xx)."""
    first17 = number[:6] + "19" + number[6:]
    return first17 + check_character(first17)


def id_number(
    value: object, kind: str, birth_date: date | None, gender: str | None
) -> IdNumber | None:
    """Upper-cased number; for resident cards also checksum, region and birth date.

    A birth date or gender given in their own columns must agree with the card: a
    disagreement means one of them is wrong, and guessing which would corrupt matching.
    """
    s = raw_text(value)
    if s is None:
        return None
    s = fold(s).replace(" ", "").replace("-", "").upper()
    if kind != "id_card":
        if not _OTHER.match(s):
            raise Rejection(None, "id_number_format", "a document number is 5–20 letters/digits")
        return IdNumber(s, None, None)
    if len(s) == 15 and s.isdigit():
        s = _upgrade_15(s)
    try:
        info = parse(s)
    except IdCardError as exc:
        raise Rejection(None, _CODES.get(exc.code, "id_number_format"), str(exc)) from None
    if birth_date is not None and birth_date != info.birth_date:
        raise Rejection(
            None,
            "id_birth_date_mismatch",
            f"birth_date {birth_date.isoformat()} disagrees with the ID number "
            f"({info.birth_date.isoformat()})",
        )
    if gender is not None and gender != info.gender:
        raise Rejection(None, "id_gender_mismatch", "gender disagrees with the ID number")
    return IdNumber(info.number, info.birth_date, info.gender)
