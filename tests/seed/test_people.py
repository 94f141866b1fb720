"""People: ID numbers agree with the person, phones never collide by accident."""

from __future__ import annotations

import random
from datetime import date

from cdp.idcard import parse
from cdp.seed.people import make_person, unique_id_number

AS_OF = date(2026, 6, 30)


def test_id_number_encodes_birth_gender_and_city() -> None:
    rng = random.Random(1)
    for index in range(500):
        gender = "M" if index % 2 else "F"
        person = make_person(rng, index, AS_OF, age=20 + index % 60, gender=gender, salt=9)
        info = parse(person.id_number)
        assert info.birth_date == person.birth
        assert info.gender == gender
        assert info.province == person.city.province
        assert info.region in person.city.regions


def test_phones_are_unique_per_index() -> None:
    rng = random.Random(2)
    phones = {
        make_person(rng, i, AS_OF, age=40, gender="F", salt=12_345).phone[3:] for i in range(5_000)
    }
    assert len(phones) == 5_000


def test_unique_id_number_moves_only_the_sequence() -> None:
    taken: set[str] = set()
    first = unique_id_number("110101198507090011", taken)
    second = unique_id_number("110101198507090011", taken)
    assert first != second
    a, b = parse(first), parse(second)
    assert (a.region, a.birth_date, a.gender) == (b.region, b.birth_date, b.gender)
