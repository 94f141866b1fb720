"""How customer lists can be sorted, as keyset orderings.

Every ordering ends with the customer id, so rows with equal keys (two customers
with the same AUM or name) still have one stable order, and the cursor of a row
carries both its key and its id.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import Enum

from cdp.customers.columns import AUM
from cdp.db.models import Customer
from cdp.keyset import Ordering


class CustomerSort(Enum):
    CUSTOMER_NO = "customer_no"
    NAME = "name"
    ONBOARDED_AT = "onboarded_at"
    AUM = "aum"


_KEYS = {
    CustomerSort.CUSTOMER_NO: (Customer.customer_no, str),
    CustomerSort.NAME: (Customer.name, str),
    CustomerSort.ONBOARDED_AT: (Customer.onboarded_at, datetime),
    CustomerSort.AUM: (AUM, Decimal),
}


def customer_ordering(sort: CustomerSort, *, descending: bool = False) -> Ordering:
    key, kind = _KEYS[sort]
    return Ordering(
        name=sort.value,
        key=key,
        tiebreak=Customer.id,
        field=sort.value,
        kind=kind,
        descending=descending,
    )
