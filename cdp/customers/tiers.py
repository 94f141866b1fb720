"""Asset tiers and derived profile values (docs/architecture.md; thresholds in settings)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum

from cdp.config import Settings


class Tier(Enum):
    MASS = "mass"  # 大众
    POTENTIAL = "potential"  # 潜力
    HIGH_NET_WORTH = "high_net_worth"  # 高净值


def tier_for(aum: Decimal, settings: Settings) -> Tier:
    if aum >= settings.tier_hnw_min:
        return Tier.HIGH_NET_WORTH
    if aum >= settings.tier_potential_min:
        return Tier.POTENTIAL
    return Tier.MASS


def age_on(birth_date: date, today: date) -> int:
    before_birthday = (today.month, today.day) < (birth_date.month, birth_date.day)
    return today.year - birth_date.year - int(before_birthday)


RISK_LABELS = {1: "C1 保守型", 2: "C2 稳健型", 3: "C3 平衡型", 4: "C4 成长型", 5: "C5 进取型"}


def tier_bounds(tier: Tier, settings: Settings) -> tuple[Decimal | None, Decimal | None]:
    """The AUM range ``[low, high)`` of a tier; ``None`` is unbounded."""
    potential, hnw = Decimal(settings.tier_potential_min), Decimal(settings.tier_hnw_min)
    if tier is Tier.MASS:
        return None, potential
    if tier is Tier.POTENTIAL:
        return potential, hnw
    return hnw, None


def years_before(day: date, years: int) -> date:
    """The same calendar day ``years`` earlier; 29 February falls back to the 28th."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def risk_assessment_expired(assessed_at: date | None, cutoff: date) -> bool:
    """An assessment made before ``cutoff`` (``assessment_cutoff(today)``: one year
    ago) no longer counts, and a missing one never did. The cutoff is an argument so a
    list of customers computes it once."""
    return assessed_at is None or assessed_at < cutoff


def assessment_cutoff(today: date) -> date:
    """Assessments before this day are expired (computed once for a list of customers)."""
    return years_before(today, 1)
