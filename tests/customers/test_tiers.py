"""Derived profile values: tiers, ages, assessment expiry."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from cdp.config import Settings
from cdp.customers.tiers import (
    Tier,
    age_on,
    assessment_cutoff,
    risk_assessment_expired,
    tier_bounds,
    tier_for,
    years_before,
)


@pytest.mark.parametrize(
    ("aum", "tier"),
    [("0", Tier.MASS), ("499999.99", Tier.MASS), ("500000", Tier.POTENTIAL),
     ("5999999.99", Tier.POTENTIAL), ("6000000", Tier.HIGH_NET_WORTH)],
)  # fmt: skip
def test_tier_and_its_bounds_agree(aum: str, tier: Tier) -> None:
    settings = Settings()
    assert tier_for(Decimal(aum), settings) is tier
    low, high = tier_bounds(tier, settings)
    assert low is None or Decimal(aum) >= low
    assert high is None or Decimal(aum) < high


def test_years_before_falls_back_from_leap_day() -> None:
    assert years_before(date(2024, 2, 29), 1) == date(2023, 2, 28)
    assert years_before(date(2024, 3, 1), 4) == date(2020, 3, 1)


@pytest.mark.parametrize(
    ("assessed", "expired"),
    [(None, True), (date(2024, 6, 1), False), (date(2023, 6, 1), False),
     (date(2023, 5, 31), True)],
)  # fmt: skip
def test_assessment_older_than_a_year_is_expired(assessed: date | None, expired: bool) -> None:
    assert risk_assessment_expired(assessed, assessment_cutoff(date(2024, 6, 1))) is expired


def test_age_counts_whole_years() -> None:
    assert age_on(date(1980, 6, 2), date(2024, 6, 1)) == 43
    assert age_on(date(1980, 6, 1), date(2024, 6, 1)) == 44
