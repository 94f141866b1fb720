"""Customer records pushed by source systems."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.mutations.batch import IdempotencyKeyArg, SourceArg, run_batch
from schema.mutations.inputs import CustomerInput
from schema.mutations.results import BatchResult
from schema.types.info import Info


@strawberry.type
class CustomerMutationMixin:
    @strawberry.mutation(
        description="Create or update customer records of a source system (at most 1,000). "
        "Each record is resolved to a golden customer: a new one, or an existing one "
        "it matches (MERGED). Rejected records are quarantined; the others are kept."
    )
    async def upsert_customers(
        self,
        info: Info,
        source: SourceArg,
        customers: Annotated[
            list[CustomerInput], strawberry.argument(description="The customer records.")
        ],
        idempotency_key: IdempotencyKeyArg = None,
    ) -> BatchResult:
        return await run_batch(
            info,
            operation="upsertCustomers",
            kind="customers",
            source=source,
            items=customers,
            idempotency_key=idempotency_key,
        )
