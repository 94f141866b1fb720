"""Consent decisions pushed by source systems."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.mutations.batch import IdempotencyKeyArg, SourceArg, run_batch
from schema.mutations.inputs import ConsentInput
from schema.mutations.results import BatchResult
from schema.types.info import Info


@strawberry.type
class ConsentMutationMixin:
    @strawberry.mutation(
        description="Record customers' consent decisions per purpose (at most 1,000). "
        "Every decision is kept in the history; the current state only moves forward in time."
    )
    async def set_consents(
        self,
        info: Info,
        source: SourceArg,
        consents: Annotated[
            list[ConsentInput], strawberry.argument(description="The consent decisions.")
        ],
        idempotency_key: IdempotencyKeyArg = None,
    ) -> BatchResult:
        return await run_batch(
            info,
            operation="setConsents",
            kind="consents",
            source=source,
            items=consents,
            idempotency_key=idempotency_key,
        )
