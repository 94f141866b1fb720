"""Suitability (适当性): the highest product risk rating a customer may be offered.

A customer of risk level Cn may hold products rated R1..Rn, so C1 (the lowest
tolerance) gets R1 only; a professional investor may hold any rating; an
ordinary investor whose assessment is missing or older than a year gets nothing
above R1 until reassessed.
"""

from __future__ import annotations

from datetime import date

MAX_RATING = 5
SAFE_RATING = 1


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def assessment_expired(assessed_at: date | None, today: date) -> bool:
    return assessed_at is None or assessed_at < years_before(today, 1)


def max_rating(
    risk_level: int | None, assessed_at: date | None, professional: bool, today: date
) -> int:
    if professional:
        return MAX_RATING
    if risk_level is None or assessment_expired(assessed_at, today):
        return SAFE_RATING
    return max(SAFE_RATING, min(risk_level, MAX_RATING))
