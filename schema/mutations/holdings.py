"""Holdings pushed by source systems."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.mutations.batch import IdempotencyKeyArg, SourceArg, run_batch
from schema.mutations.inputs import HoldingInput
from schema.mutations.results import BatchResult
from schema.types.info import Info


@strawberry.type
class HoldingMutationMixin:
    @strawberry.mutation(
        description="Create or update holdings (at most 1,000): one per customer and "
        "product. Customers are named by the sourceKey of the same source's customer record."
    )
    async def upsert_holdings(
        self,
        info: Info,
        source: SourceArg,
        holdings: Annotated[list[HoldingInput], strawberry.argument(description="The holdings.")],
        idempotency_key: IdempotencyKeyArg = None,
    ) -> BatchResult:
        return await run_batch(
            info,
            operation="upsertHoldings",
            kind="holdings",
            source=source,
            items=holdings,
            idempotency_key=idempotency_key,
        )
