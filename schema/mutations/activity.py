"""Transactions and interactions pushed by source systems."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.mutations.batch import IdempotencyKeyArg, SourceArg, run_batch
from schema.mutations.inputs import InteractionInput, TransactionInput
from schema.mutations.results import BatchResult
from schema.types.info import Info


@strawberry.type
class ActivityMutationMixin:
    @strawberry.mutation(
        description="Record transactions (at most 1,000). A transaction already recorded "
        "under the same sourceKey is UNCHANGED, so re-sending is safe."
    )
    async def record_transactions(
        self,
        info: Info,
        source: SourceArg,
        transactions: Annotated[
            list[TransactionInput], strawberry.argument(description="The transactions.")
        ],
        idempotency_key: IdempotencyKeyArg = None,
    ) -> BatchResult:
        return await run_batch(
            info,
            operation="recordTransactions",
            kind="transactions",
            source=source,
            items=transactions,
            idempotency_key=idempotency_key,
        )

    @strawberry.mutation(
        description="Record interactions such as logins, calls and complaints (at most "
        "1,000). An interaction already recorded under the same sourceKey is UNCHANGED."
    )
    async def record_interactions(
        self,
        info: Info,
        source: SourceArg,
        interactions: Annotated[
            list[InteractionInput], strawberry.argument(description="The interactions.")
        ],
        idempotency_key: IdempotencyKeyArg = None,
    ) -> BatchResult:
        return await run_batch(
            info,
            operation="recordInteractions",
            kind="events",
            source=source,
            items=interactions,
            idempotency_key=idempotency_key,
        )
