"""One synthetic person: name, birth, home city, ID number, phone, e-mail, job, income.

Everything is drawn from the caller's ``random.Random`` so a seed reproduces the
same people. The ID number encodes the person's birth date, gender and a real
region code of their city; the phone is unique per person index (an affine
bijection on the last eight digits), so two people never share a number by
accident: shared numbers in the data are always deliberate.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from itertools import accumulate

from cdp.idcard import check_character, make_number
from cdp.seed.draw import weighted
from cdp.seed.names import given_name, surname
from cdp.seed.regions import CITIES, CITY_WEIGHTS, City

_CUM_CITY = list(accumulate(CITY_WEIGHTS))

# Mobile prefixes of the three carriers, weighted towards the older, common ranges.
_PHONE_PREFIXES = [
    "130",
    "131",
    "132",
    "133",
    "134",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "166",
    "170",
    "176",
    "177",
    "180",
    "181",
    "182",
    "183",
    "184",
    "185",
    "186",
    "187",
    "188",
    "189",
    "191",
    "198",
    "199",
]
_PHONE_SPACE = 100_000_000
_PHONE_MULT = 48_271  # coprime with 10, so idx -> suffix is a bijection mod 10^8

# (occupation, minimum age, maximum age, median annual income in yuan)
OCCUPATIONS: tuple[tuple[str, int, int, int], ...] = (
    ("企业主", 28, 75, 900_000),
    ("企业高管", 32, 65, 700_000),
    ("金融从业者", 23, 65, 400_000),
    ("医生", 26, 70, 320_000),
    ("律师", 25, 70, 350_000),
    ("IT从业者", 22, 55, 300_000),
    ("工程师", 23, 62, 240_000),
    ("公务员", 22, 62, 180_000),
    ("教师", 22, 62, 150_000),
    ("个体工商户", 22, 70, 200_000),
    ("销售", 20, 60, 140_000),
    ("职员", 20, 62, 110_000),
    ("自由职业", 20, 70, 130_000),
    ("学生", 18, 26, 10_000),
    ("退休", 55, 100, 70_000),
)
# Occupation weights per wealth class (0 mass, 1 potential, 2 high net worth).
_OCC_WEIGHTS: tuple[tuple[int, ...], ...] = (
    (2, 2, 4, 4, 2, 10, 12, 8, 10, 8, 12, 22, 8, 5, 12),
    (12, 10, 10, 8, 6, 8, 6, 5, 4, 10, 4, 4, 4, 1, 12),
    (40, 20, 10, 4, 5, 4, 1, 1, 1, 5, 1, 1, 2, 0, 8),
)
_MAIL_DOMAINS = ("qq.com", "163.com", "126.com", "139.com", "sina.com", "gmail.com")
_MAIL_CUM = (40, 62, 72, 82, 92, 100)
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(slots=True)
class Person:
    name: str
    surname: str
    gender: str
    birth: date
    city: City
    region: str
    id_number: str
    phone: str
    email: str | None
    occupation: str
    income: int


def pick_city(rng: random.Random) -> City:
    return weighted(rng, CITIES, _CUM_CITY)


def phone_for(index: int, rng: random.Random, salt: int) -> str:
    suffix = (_PHONE_MULT * index + salt) % _PHONE_SPACE
    return f"{rng.choice(_PHONE_PREFIXES)}{suffix:08d}"


def _email(rng: random.Random, phone: str) -> str | None:
    if rng.random() < 0.25:
        return None
    domain = weighted(rng, _MAIL_DOMAINS, _MAIL_CUM)
    if domain == "qq.com":
        return f"{rng.randint(10_000, 3_999_999_999)}@qq.com"
    if domain == "139.com":
        return f"{phone}@139.com"
    word = "".join(rng.choices(_LETTERS, k=rng.randint(3, 8)))
    return f"{word}{rng.randint(0, 9999) if rng.random() < 0.7 else ''}@{domain}"


@lru_cache(maxsize=512)
def _occupation_cum(age: int, wealth: int) -> list[int]:
    weights = [
        w if lo <= age <= hi else 0
        for w, (_, lo, hi, _) in zip(_OCC_WEIGHTS[wealth], OCCUPATIONS, strict=True)
    ]
    if age >= 65:
        weights[-1] += 60
    if not any(weights):  # e.g. a very young heir: no listed job fits
        weights[12] = 1
    return list(accumulate(weights))


def _occupation(rng: random.Random, age: int, wealth: int) -> tuple[str, int]:
    name, _, _, median = weighted(rng, OCCUPATIONS, _occupation_cum(age, wealth))
    income = median * rng.lognormvariate(0.0, 0.45) * (1.0, 1.8, 3.5)[wealth]
    return name, int(income // 100 * 100)


def make_person(
    rng: random.Random,
    index: int,
    as_of: date,
    *,
    age: int,
    gender: str,
    salt: int,
    wealth: int = 0,
    family_name: str | None = None,
    city: City | None = None,
) -> Person:
    """A person ``age`` years old at ``as_of``; ``index`` keeps the phone unique."""
    city = city or pick_city(rng)
    birth = as_of - timedelta(days=age * 365 + rng.randint(5, 360))
    region = rng.choice(city.regions)
    sequence = rng.randrange(0, 1000, 2) + (1 if gender == "M" else 0)
    phone = phone_for(index, rng, salt)
    occupation, income = _occupation(rng, age, wealth)
    family_name = family_name or surname(rng)
    return Person(
        name=family_name + given_name(rng, gender),
        surname=family_name,
        gender=gender,
        birth=birth,
        city=city,
        region=region,
        id_number=make_number(region, birth, sequence),
        phone=phone,
        email=_email(rng, phone),
        occupation=occupation,
        income=income,
    )


def unique_id_number(number: str, taken: set[str]) -> str:
    """``number`` if unused, else the next free sequence of the same gender.

    Region, birth date and gender stay as they were, so the row still agrees with
    its number; only the sequence (and check character) moves.
    """
    first17 = number[:17]
    while first17 in taken:
        seq = (int(first17[14:17]) + 2) % 1000
        first17 = f"{first17[:14]}{seq:03d}"
    taken.add(first17)
    return first17 + check_character(first17)
