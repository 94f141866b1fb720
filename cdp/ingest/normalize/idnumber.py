"""Identity document numbers, checked against the birth date and gender columns."""

from __future__ import annotations

import re
from datetime import date
from typing import NamedTuple

from cdp.idcard import IdCardError, check_character, parse, valid_birth_date
from cdp.ingest.normalize.errors import RejectCode, Rejection
from cdp.ingest.normalize.text import fold, raw_text

_OTHER = re.compile(r"^[A-Z0-9]{5,20}$")
_RESIDENT = re.compile(r"\d{17}[\dX]", re.ASCII)
_CODES: dict[str, RejectCode] = {
    "id_number_format": "id_number_format",
    "id_number_checksum": "id_number_checksum",
    "id_number_region": "id_number_region",
    "id_number_birth_date": "id_number_birth_date",
}


class IdNumber(NamedTuple):
    number: str
    birth_date: date | None
    gender: str | None


def _upgrade_15(number: str) -> str:
    """A first-generation 15-digit card number as its 18-character form (born 19xx)."""
    first17 = number[:6] + "19" + number[6:]
    return first17 + check_character(first17)


def _card(s: str, today: date) -> tuple[date, str]:
    birth = valid_birth_date(s, today)
    if birth is not None:
        return birth, "M" if int(s[16]) % 2 == 1 else "F"
    try:
        info = parse(s, today)
    except IdCardError as exc:
        raise Rejection(None, _CODES.get(exc.code, "id_number_format"), str(exc)) from None
    return info.birth_date, info.gender


def id_number(
    value: object,
    kind: str,
    birth_date: date | None,
    gender: str | None,
    today: date | None = None,
) -> IdNumber | None:
    """Upper-cased number; for resident cards also checksum, region and birth date.

    A birth date or gender given in their own columns must agree with the card: a
    disagreement means one of them is wrong, and guessing which would corrupt matching.
    """
    if isinstance(value, str) and _RESIDENT.fullmatch(value):
        s = value  # already in its normal form
    else:
        raw = raw_text(value)
        if raw is None:
            return None
        s = fold(raw).replace(" ", "").replace("-", "").upper()
    if kind != "id_card":
        if not _OTHER.match(s):
            raise Rejection(None, "id_number_format", "a document number is 5–20 letters/digits")
        return IdNumber(s, None, None)
    if len(s) == 15 and s.isdigit():
        s = _upgrade_15(s)
    card_birth, card_gender = _card(s, today or date.today())
    if birth_date is not None and birth_date != card_birth:
        raise Rejection(
            None,
            "id_birth_date_mismatch",
            f"birth_date {birth_date.isoformat()} disagrees with the ID number "
            f"({card_birth.isoformat()})",
        )
    if gender is not None and gender != card_gender:
        raise Rejection(None, "id_gender_mismatch", "gender disagrees with the ID number")
    return IdNumber(s, card_birth, card_gender)
