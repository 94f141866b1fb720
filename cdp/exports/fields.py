"""The customer fields an export may name, by GraphQL name, and how each is read.

Export fields are the ``Customer`` fields of the API under the same names, so the
caller's field plan decides them exactly as it decides a query: a field the plan
denies cannot be requested, a masked one goes through the same masking function.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Row

from cdp.config import get_settings
from cdp.crypto import get_cipher
from cdp.customers.tiers import RISK_LABELS, age_on, tier_for

Reader = Callable[[Row[Any]], Any]


def _column(name: str) -> Reader:
    return lambda row: getattr(row, name)


def _id_number(row: Row[Any]) -> str | None:
    blob = row.id_number_enc
    return None if blob is None else get_cipher().decrypt(blob)


def _age(row: Row[Any]) -> int | None:
    born: date | None = row.birth_date
    return None if born is None else age_on(born, datetime.now(UTC).date())


def _tier(row: Row[Any]) -> str:
    return tier_for(Decimal(row.aum), get_settings()).name  # as the API spells it


def _risk_label(row: Row[Any]) -> str | None:
    level: int | None = row.risk_level
    return None if level is None else RISK_LABELS.get(level)


FIELDS: Mapping[str, Reader] = {
    "customerNo": _column("customer_no"),
    "name": _column("name"),
    "gender": _column("gender"),
    "birthDate": _column("birth_date"),
    "age": _age,
    "phone": _column("phone"),
    "email": _column("email"),
    "idNumber": _id_number,
    "province": _column("province"),
    "city": _column("city"),
    "occupation": _column("occupation"),
    "annualIncome": _column("annual_income"),
    "riskLevel": _column("risk_level"),
    "riskLevelLabel": _risk_label,
    "investorClass": _column("investor_class"),
    "branch": _column("branch"),
    "onboardedAt": _column("onboarded_at"),
    "status": _column("status"),
    "aum": _column("aum"),
    "tier": _tier,
}

MAX_FIELDS = len(FIELDS)


def plain(value: Any) -> Any:
    """A value as JSON and CSV write it: dates in ISO form, decimals as text."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value
