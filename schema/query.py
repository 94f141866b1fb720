from __future__ import annotations

from typing import Annotated

import strawberry

from cdp.customers.repository import CustomerRepository
from cdp.errors import NotFound
from schema.types.customer import Customer
from schema.types.info import Info


@strawberry.type(description="Read access to unified customer data.")
class Query:
    @strawberry.field(description="One customer by customer number.")
    async def customer(
        self,
        info: Info,
        customer_no: Annotated[
            str, strawberry.argument(description="The customer number, e.g. C0000000001.")
        ],
    ) -> Customer:
        row = await CustomerRepository(info.context.session).get_by_customer_no(customer_no)
        if row is None:
            raise NotFound(f"no customer with number {customer_no}")
        return Customer(row=row)
