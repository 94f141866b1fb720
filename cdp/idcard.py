"""Resident identity card numbers (GB 11643-1999): check digit, birth date, region.

An 18-character number is 6 digits of region, 8 of birth date (YYYYMMDD), 3 of
sequence (odd for men, even for women) and a check character computed with
ISO 7064 MOD 11-2 (``X`` stands for 10).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from operator import mul

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
# The check character over the ASCII codes of the first 17 digits: the sum of
# code × weight, less 48 × the weights' sum, is the sum of digit × weight.
_ZEROS = ord("0") * sum(_WEIGHTS)
_RESIDENT = re.compile(r"\d{17}[\dX]", re.ASCII)

PROVINCE_CODES: dict[str, str] = {
    "11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区",
    "21": "辽宁省", "22": "吉林省", "23": "黑龙江省",
    "31": "上海市", "32": "江苏省", "33": "浙江省", "34": "安徽省", "35": "福建省",
    "36": "江西省", "37": "山东省",
    "41": "河南省", "42": "湖北省", "43": "湖南省", "44": "广东省", "45": "广西壮族自治区",
    "46": "海南省",
    "50": "重庆市", "51": "四川省", "52": "贵州省", "53": "云南省", "54": "西藏自治区",
    "61": "陕西省", "62": "甘肃省", "63": "青海省", "64": "宁夏回族自治区",
    "65": "新疆维吾尔自治区",
    "71": "台湾省", "81": "香港特别行政区", "82": "澳门特别行政区",
}  # fmt: skip


def check_character(first17: str) -> str:
    """The 18th character for the given first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def make_number(region: str, birth: date, sequence: int) -> str:
    """A valid number from its parts (``sequence`` 0–999; odd means male)."""
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)


@dataclass(frozen=True)
class IdCardInfo:
    number: str
    region: str
    province: str
    birth_date: date
    gender: str  # "M" or "F"


class IdCardError(ValueError):
    """Why a number is not a valid resident ID; ``code`` is machine-readable."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def valid_birth_date(number: str, today: date) -> date | None:
    """The birth date of a number that passes every check ``parse`` makes, else ``None``.

    The per-row path of imports: no description built, no exception raised, and
    ``today`` given by the caller rather than looked up per number.
    """
    if not _RESIDENT.fullmatch(number) or number[:2] not in PROVINCE_CODES:
        return None
    if _CHECK[(sum(map(mul, number[:17].encode(), _WEIGHTS)) - _ZEROS) % 11] != number[17]:
        return None
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None
    return birth if birth.year >= 1900 and birth <= today else None


def parse(number: str, today: date | None = None) -> IdCardInfo:
    """Validate an 18-character number (upper-case ``X``) and return what it encodes."""
    today = today or date.today()
    birth = valid_birth_date(number, today) or _checked_birth_date(number, today)
    gender = "M" if int(number[16]) % 2 == 1 else "F"
    return IdCardInfo(number, number[:6], PROVINCE_CODES[number[:2]], birth, gender)


def _checked_birth_date(number: str, today: date) -> date:
    """Each check in turn, so a bad number is rejected with the first reason that applies."""
    if (
        len(number) != 18
        or not number[:17].isdigit()
        or not (number[17].isdigit() or number[17] == "X")
    ):
        raise IdCardError("id_number_format", "an ID number has 17 digits and a digit or X")
    if check_character(number[:17]) != number[17]:
        raise IdCardError("id_number_checksum", "the ID number's check character is wrong")
    if number[:2] not in PROVINCE_CODES:
        raise IdCardError("id_number_region", f"unknown region code {number[:6]}")
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise IdCardError(
            "id_number_birth_date", "the ID number holds no valid birth date"
        ) from exc
    if birth.year < 1900 or birth > today:
        raise IdCardError("id_number_birth_date", "the ID number's birth date is out of range")
    return birth
