from __future__ import annotations

from enum import Enum

import strawberry

from cdp.customers.pagination import CustomerSort, customer_ordering
from cdp.keyset import Ordering

strawberry.enum(
    CustomerSort,
    name="CustomerSortField",
    description="What customers can be sorted by; ties are broken by an internal id.",
)


_SORTED_FIELDS = {
    CustomerSort.CUSTOMER_NO: "customerNo",
    CustomerSort.NAME: "name",
    CustomerSort.ONBOARDED_AT: "onboardedAt",
    CustomerSort.AUM: "aum",
}


@strawberry.enum(description="Sort direction.")
class SortDirection(Enum):
    ASC = "asc"
    DESC = "desc"


@strawberry.input(description="How to sort customers.")
class CustomerOrder:
    field: CustomerSort = strawberry.field(description="The sort key.")
    direction: SortDirection = strawberry.field(
        default=SortDirection.ASC, description="Ascending (default) or descending."
    )

    @property
    def field_used(self) -> str:
        """The Customer field (GraphQL name) the order reads."""
        return _SORTED_FIELDS[self.field]

    def to_ordering(self) -> Ordering:
        return customer_ordering(self.field, descending=self.direction is SortDirection.DESC)
