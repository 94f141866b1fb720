"""What a customer row carries on read paths: profile and contact columns and AUM.

Read paths select these columns instead of ORM entities: lists of hundreds of
customers are built straight from result rows, without identity-map overhead.
The ID number comes encrypted (``id_number_enc``); the API decrypts it only for a
caller whose policy shows it and who selected it, and masks it or not as the
policy says, like the phone and e-mail.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, func, null, select

from cdp.db.models import Customer, Holding

# Correlated, so it costs one index lookup per returned customer; usable in WHERE
# and ORDER BY as well, where AUM filters and sorting need it.
AUM: ColumnElement[Any] = (
    select(func.coalesce(func.sum(Holding.market_value), 0))
    .where(Holding.customer_id == Customer.id)
    .correlate(Customer)
    .scalar_subquery()
)

PROFILE_COLUMNS = (
    Customer.id,
    Customer.customer_no,
    Customer.name,
    Customer.phone,
    Customer.email,
    Customer.id_number_enc,
    Customer.gender,
    Customer.birth_date,
    Customer.province,
    Customer.city,
    Customer.occupation,
    Customer.annual_income,
    Customer.risk_level,
    Customer.risk_assessed_at,
    Customer.investor_class,
    Customer.advisor_id,
    Customer.branch,
    Customer.onboarded_at,
    Customer.status,
)


def select_customers(*extra: Any, aum: bool = True) -> Select[*tuple[Any, ...]]:
    """Profile columns plus ``aum``, and any extra columns of joined tables.

    Without ``aum`` the column is a NULL: rows keep their shape, and a page that
    neither shows nor sorts by AUM skips the per-customer sum over holdings.
    """
    return select(*PROFILE_COLUMNS, (AUM if aum else null()).label("aum"), *extra)
