"""An attacker rebuilds masked ID numbers from what each role reads, and fails.

An 18-character ID number is region (6) + birth date (8) + sequence (3, odd for
men) + a check character. The attacker reads, through the API, everything a role
may see of a customer (the masked number, birth date, age, gender, city,
province), lists every valid number consistent with it (the region codes of the
city, as the seed data uses them), and succeeds when at most ``ORACLE_TRIES``
numbers remain: few enough to confirm each against any oracle that tells whether
a number belongs to a customer. The same attacker against the first-3/last-4 mask
with the birth date in clear is left with exactly one number.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from cdp.customers.tiers import age_on
from cdp.db.engine import AsyncWriteSession
from cdp.idcard import check_character, make_number
from cdp.seed.regions import CITIES
from policies.compiled import CompiledPolicy
from policies.known_fields import known_fields
from policies.language import Decision
from policies.lines import read_policy
from policies.masking import mask_id_number
from tests.factories import create_consent, create_customer
from tests.schema.permissions.conftest import World

ORACLE_TRIES = 1_000
VIEW = (
    "{ customers(first: 100) { nodes { customerNo idNumber birthDate age gender city province } } }"
)


@dataclass(frozen=True)
class Target:
    customer_no: str
    id_number: str
    birth: date
    gender: str
    city: str
    province: str


def _targets() -> list[Target]:
    out = []
    for i, city in enumerate(CITIES[:4]):
        birth = date(1968 + 7 * i, 2 + i, 9 + 3 * i)
        sequence = 101 + 38 * i  # odd, even, odd, even
        gender = "M" if sequence % 2 else "F"
        number = make_number(city.regions[-1], birth, sequence)
        out.append(Target(f"0R{i:04d}", number, birth, gender, city.name, city.province))
    return out


def _regions(city: str | None, province: str | None) -> list[str]:
    known = [c for c in CITIES if c.name == city] or [c for c in CITIES if c.province == province]
    return sorted({r for c in known or CITIES for r in c.regions})


def _dates(birth: date | None, age: int | None, today: date) -> Iterator[date]:
    if birth is not None:
        yield birth
        return
    start, end = (date(1900, 1, 1), today)
    if age is not None:
        start, end = date(today.year - age - 1, 1, 1), date(today.year - age, 12, 31)
    day = start
    while day <= end:
        if age is None or age_on(day, today) == age:
            yield day
        day += timedelta(days=1)


def rebuild(view: dict[str, Any], today: date) -> list[str] | None:
    """Every valid number consistent with ``view``; ``None`` once there are more than
    ``ORACLE_TRIES`` (the attack failed)."""
    masked: str | None = view.get("idNumber")
    if masked is not None and len(masked) != 18:
        return None  # not a resident number's mask: nothing positional to use
    known = {i: ch for i, ch in enumerate(masked or "") if ch != "*"}
    birth = date.fromisoformat(view["birthDate"]) if view.get("birthDate") else None
    odd = {"M": 1, "F": 0}.get(view.get("gender") or "")
    sequences = [f"{s:03d}" for s in range(1000) if odd is None or s % 2 == odd]
    found: list[str] = []
    for region in _regions(view.get("city"), view.get("province")):
        if any(region[i] != ch for i, ch in known.items() if i < 6):
            continue
        for day in _dates(birth, view.get("age"), today):
            prefix = f"{region}{day:%Y%m%d}"
            if any(prefix[i] != ch for i, ch in known.items() if 6 <= i < 14):
                continue
            for sequence in sequences:
                first17 = prefix + sequence
                if any(first17[i] != ch for i, ch in known.items() if 14 <= i < 17):
                    continue
                number = first17 + check_character(first17)
                if 17 in known and number[17] != known[17]:
                    continue
                found.append(number)
                if len(found) > ORACLE_TRIES:
                    return None
    return found


def _roles() -> list[str]:
    return list(dict.fromkeys(line.values[0] for line in read_policy() if line.values))


async def test_no_role_rebuilds_a_masked_id_number(
    session: AsyncWriteSession, world: World, as_role: Any
) -> None:
    policy = CompiledPolicy.from_lines(read_policy(), known_fields())
    targets = _targets()
    for t in targets:
        customer = await create_customer(
            session,
            customer_no=t.customer_no,
            id_number=t.id_number,
            birth_date=t.birth,
            gender=t.gender,
            city=t.city,
            province=t.province,
            advisor_id=world.advisor.id,
        )
        await create_consent(session, customer, "partner_sharing")
    by_no = {t.customer_no: t for t in targets}
    today = date.today()
    attacked: dict[str, int] = {}
    for role in _roles():
        if policy.decision([role], "Customer", "idNumber", "read") is Decision.ALLOW:
            assert role == "admin"  # reads it in clear: nothing to rebuild
            continue
        api = await as_role(role, purpose="test")
        body = await api.raw(VIEW)
        nodes = ((body.get("data") or {}).get("customers") or {}).get("nodes") or []
        views = [n for n in nodes if n and n.get("customerNo") in by_no]
        for view in views:
            candidates = rebuild(view, today)
            assert candidates is None, (role, view, len(candidates or ()))
        attacked[role] = len(views)
    # The roles that see these customers with any identity field were attacked.
    assert attacked["advisor"] == attacked["frontend"] == attacked["marketer"] == len(targets)


def test_the_attack_rebuilds_the_old_mask() -> None:
    """The first-3/last-4 mask next to the birth date and city left one number."""
    today = date.today()
    for t in _targets():
        view = {
            "idNumber": t.id_number[:3] + "*" * 11 + t.id_number[-4:],
            "birthDate": t.birth.isoformat(),
            "age": age_on(t.birth, today),
            "gender": t.gender,
            "city": t.city,
            "province": t.province,
        }
        assert rebuild(view, today) == [t.id_number]
        # The new mask with the birth date still in clear leaves few enough to try.
        view["idNumber"] = mask_id_number(t.id_number)
        candidates = rebuild(view, today)
        assert candidates is not None
        assert t.id_number in candidates
