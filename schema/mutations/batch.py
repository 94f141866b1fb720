"""The one path every source-system mutation takes: a write session around
``cdp.intake.submit_batch``, committed once at the end.

The caller's right to write comes before anything else: before the source, the
batch size, the idempotency key or any item is looked at. It is checked on what
every item of the kind must set (plus the source a consent records), so an empty
batch needs the same right as a one-item batch, and on every field the items do
set. A refused request has opened no transaction and stores nothing; in particular
it cannot claim an idempotency key a source system will use later.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, TypeAlias

import strawberry

from cdp.ingest.columns import COLUMNS
from cdp.intake import submit_batch
from schema.bounds import SOURCE_NAME
from schema.mutations.inputs import to_row
from schema.mutations.results import BatchResult
from schema.types.info import Info

SourceArg: TypeAlias = Annotated[
    str,
    strawberry.argument(
        description="The sending system, e.g. core_banking or crm (at most 32 characters); "
        "its trust ranks its values in survivorship.",
        metadata=SOURCE_NAME,
    ),
]
IdempotencyKeyArg: TypeAlias = Annotated[
    str | None,
    strawberry.argument(
        description="Makes retries safe: a batch sent again with the same key and the same "
        "items returns the first response and changes nothing; the same key with other "
        "items is a CONFLICT error. Keys are scoped to the source and the mutation and are "
        "kept for seven days."
    ),
]


# The type whose fields each kind of batch sets.
WRITES = {
    "customers": "Customer",
    "holdings": "Holding",
    "transactions": "Transaction",
    "events": "InteractionEvent",
    "consents": "Consent",
}


async def run_batch(
    info: Info,
    *,
    operation: str,
    kind: str,
    source: str,
    items: Sequence[Any],
    idempotency_key: str | None,
) -> BatchResult:
    """Ingest ``items`` in one transaction: all written, or (on an error) none."""
    context = info.context
    rows = [to_row(item) for item in items]
    # Columns that are no field of the type (source keys, references) are not checked.
    context.policy.require_write(WRITES[kind], written_columns(kind, rows))
    async with context.db.write_session() as session:
        submission = await submit_batch(
            session,
            sender=context.principal,
            source=source,
            kind=kind,
            operation=operation,
            rows=rows,
            idempotency_key=idempotency_key,
        )
    return BatchResult.of(submission, context.policy)


def written_columns(kind: str, rows: Sequence[dict[str, object]]) -> set[str]:
    """What a batch of ``kind`` writes: every item's required columns, empty batch or
    not, the source (a consent records it) and whatever the items carry."""
    return {*COLUMNS[kind].required, "source", *(column for row in rows for column in row)}
