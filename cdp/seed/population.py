"""Customers in family units, with the hidden traits that drive everything else.

A unit is a single person or a family (spouse, adult children, parents, a
sibling) that shares a city, often an advisor, a wealth tier and an investment
theme. Each member gets a lifecycle stage (prospect, new, active, cooling,
sleeping, churned) that fixes when they last transacted, and a target AUM drawn
from a heavy-tailed distribution per tier.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from cdp.seed.catalog import Advisor
from cdp.seed.draw import cumulative, weighted
from cdp.seed.people import Person, make_person, pick_city
from cdp.seed.regions import City

MASS, POTENTIAL, HNW = 0, 1, 2
STAGES = ("prospect", "churned", "sleeping", "cooling", "new", "active")
_STAGE_CUM = cumulative((7, 8, 17, 6, 3, 59))
# Among funded customers: about 1 % of all customers high net worth, 15 % potential.
TIERS = (0, 1, 2)
_TIER_CUM = cumulative((84 - 15, 15, 1))
_AGE_BANDS = ((18, 24, 5), (25, 34, 18), (35, 44, 24), (45, 54, 22), (55, 64, 17), (65, 74, 10),
              (75, 90, 4))  # fmt: skip
_UNITS = ("single", "couple", "couple_child", "with_parent", "with_child", "with_sibling")
_UNIT_CUM = cumulative((40, 28, 12, 8, 8, 4))
_AGE_CUM = cumulative([w for *_, w in _AGE_BANDS])
_RISK_CUM = {  # weights of C1..C5 by age band: the young take more risk
    "young": cumulative((5, 15, 35, 30, 15)),
    "mid": cumulative((6, 20, 40, 24, 10)),
    "senior": cumulative((20, 38, 30, 10, 2)),
}
_LEVELS = (1, 2, 3, 4, 5)


@dataclass(slots=True)
class Member:
    id: int
    person: Person
    age: int
    relation: str | None
    head_id: int
    stage: str
    tier: int
    aum: float
    theme: int
    advisor: Advisor | None
    risk: int | None = None
    professional: bool = False
    onboarded: datetime = field(default_factory=lambda: datetime.now(UTC))
    last_txn: datetime | None = None
    status: str = "active"
    risk_assessed: date | None = None


def _age(rng: random.Random) -> int:
    lo, hi, _ = weighted(rng, _AGE_BANDS, _AGE_CUM)
    return rng.randint(lo, hi)


def _aum(rng: random.Random, tier: int) -> float:
    """Target AUM in yuan: log-normal for the mass, truncated Pareto above 50万."""
    if tier == MASS:
        return min(499_000.0, max(1_000.0, rng.lognormvariate(11.2, 1.3)))
    if tier == POTENTIAL:
        return min(5_990_000.0, 500_000 * rng.paretovariate(1.1))
    return min(500_000_000.0, 6_000_000 * rng.paretovariate(1.6))


def _unit_layout(rng: random.Random, head_age: int) -> list[tuple[str, int]]:
    """(relation, age) of the head's relatives for one unit."""
    kind = weighted(rng, _UNITS, _UNIT_CUM)
    spouse = ("spouse", max(18, head_age + round(rng.gauss(0, 3))))
    child = ("child", head_age - rng.randint(24, 34))
    parent = ("parent", head_age + rng.randint(24, 34))
    if kind in ("couple_child", "with_child") and child[1] < 18:
        kind = "couple"
    if kind == "with_parent" and parent[1] > 95:
        kind = "couple"
    return {
        "single": [],
        "couple": [spouse],
        "couple_child": [spouse, child],
        "with_parent": [parent, spouse] if rng.random() < 0.5 else [parent],
        "with_child": [child],
        "with_sibling": [("sibling", max(18, head_age + rng.randint(-6, 6)))],
    }[kind]


class UnitBuilder:
    """Builds family units for one chunk of customer ids."""

    def __init__(
        self,
        rng: random.Random,
        now: datetime,
        advisors_by_branch: dict[str, list[Advisor]],
        phone_salt: int,
    ) -> None:
        self.rng = rng
        self.now = now
        self.as_of = now.date()
        self.advisors_by_branch = advisors_by_branch
        self.phone_salt = phone_salt

    def unit(self, first_id: int, room: int) -> list[Member]:
        rng = self.rng
        head_age = _age(rng)
        layout = [("self", head_age), *_unit_layout(rng, head_age)][:room]
        city = pick_city(rng)
        head_gender = "M" if rng.random() < 0.52 else "F"
        tier = weighted(rng, TIERS, _TIER_CUM)
        theme = rng.randrange(6)
        advisor = self._advisor(city)
        members: list[Member] = []
        for offset, (relation, age) in enumerate(layout):
            gender = self._gender(relation, head_gender)
            family_name = self._family_name(relation, gender, members)
            member_city = city if relation != "child" or rng.random() < 0.8 else pick_city(rng)
            member_tier = (
                tier
                if relation == "self" or rng.random() < 0.6
                else weighted(rng, TIERS, _TIER_CUM)
            )
            person = make_person(
                rng, first_id + offset, self.as_of, age=age, gender=gender,
                salt=self.phone_salt, wealth=member_tier, family_name=family_name,
                city=member_city,
            )  # fmt: skip
            stage = weighted(rng, STAGES, _STAGE_CUM)
            funded = stage not in ("prospect", "churned")
            members.append(
                Member(
                    id=first_id + offset,
                    person=person,
                    age=age,
                    relation=relation if len(layout) > 1 else None,
                    head_id=first_id,
                    stage=stage,
                    tier=member_tier,
                    aum=_aum(rng, member_tier) if funded else 0.0,
                    theme=theme if rng.random() < 0.6 else rng.randrange(6),
                    advisor=advisor
                    if member_city is city and rng.random() < 0.85
                    else self._advisor(member_city),
                )
            )
        for member in members:
            self._lifecycle(member)
            self._risk(member)
        return members

    def _gender(self, relation: str, head_gender: str) -> str:
        if relation == "spouse":
            return "F" if head_gender == "M" else "M"
        return head_gender if relation == "self" else self.rng.choice("MF")

    @staticmethod
    def _family_name(relation: str, gender: str, members: list[Member]) -> str | None:
        """Children take the father's surname, as do the head's father and siblings."""
        if not members:
            return None
        head = members[0].person
        if relation == "sibling" or (relation == "parent" and gender == "M"):
            return head.surname
        if relation == "child":
            father = (
                head
                if head.gender == "M"
                else next((m.person for m in members if m.relation == "spouse"), None)
            )
            return father.surname if father else None
        return None

    def _advisor(self, city: City) -> Advisor | None:
        if self.rng.random() < 0.08:  # self-service customers without a relationship manager
            return None
        return self.rng.choice(self.advisors_by_branch[city.branch])

    def _lifecycle(self, m: Member) -> None:
        rng, now = self.rng, self.now
        days = timedelta(days=1)
        if m.stage == "new":
            m.onboarded = now - rng.uniform(5, 85) * days
            m.last_txn = m.onboarded + rng.uniform(0.1, 1.0) * (now - m.onboarded)
        elif m.stage == "prospect":
            m.onboarded = now - rng.uniform(1, 1100) * days
        else:
            recency = {"active": (0, 89), "cooling": (91, 179), "sleeping": (181, 700),
                       "churned": (366, 1000)}[m.stage]  # fmt: skip
            m.last_txn = now - rng.uniform(*recency) * days
            m.onboarded = m.last_txn - min(4300.0, rng.expovariate(1 / 900) + 30) * days
            if m.stage == "sleeping" and rng.random() < 0.6:
                m.status = "dormant"
            if m.stage == "churned" and rng.random() < 0.5:
                m.status = "closed"
        m.onboarded = m.onboarded.replace(microsecond=0)

    def _risk(self, m: Member) -> None:
        rng = self.rng
        if m.stage == "prospect" and rng.random() < 0.5:
            return  # never assessed
        band = "young" if m.age < 35 else "mid" if m.age < 55 else "senior"
        m.risk = weighted(rng, _LEVELS, _RISK_CUM[band])
        if m.tier == HNW and m.risk < 5 and rng.random() < 0.3:
            m.risk += 1
        share = (0.003, 0.06, 0.4)[m.tier] if m.aum > 0 else 0.0
        m.professional = rng.random() < share
        if m.professional:
            m.risk = max(m.risk, 4)
        since = (self.now - m.onboarded).days
        if since > 400 and rng.random() < 0.22:  # expired: assessed more than a year ago
            ago = rng.randint(366, min(since, 1500))
        else:
            ago = rng.randint(0, min(since, 364))
        m.risk_assessed = self.as_of - timedelta(days=ago)
