"""What a source-system mutation answers: per-item results in input order, and counts."""

from __future__ import annotations

from enum import Enum

import strawberry

from cdp.intake import ItemOutcome, Submission


@strawberry.enum(description="What ingestion did with one item of a batch.")
class ItemStatus(Enum):
    CREATED = strawberry.enum_value("created", description="A new record was written.")
    UPDATED = strawberry.enum_value("updated", description="An existing record was changed.")
    MERGED = strawberry.enum_value(
        "merged",
        description="A new customer record was attached to an existing golden customer "
        "by identity resolution.",
    )
    UNCHANGED = strawberry.enum_value(
        "unchanged", description="The item was already stored exactly so; nothing changed."
    )
    REJECTED = strawberry.enum_value(
        "rejected", description="The item failed validation and was quarantined."
    )


@strawberry.type(description="Why an item was rejected (the codes of the import formats).")
class Rejection:
    field: str | None = strawberry.field(
        description="The input field at fault (snake_case import column), if one is."
    )
    code: str = strawberry.field(description="Machine-readable reason, e.g. phone_invalid.")
    reason: str = strawberry.field(description="Human-readable explanation.")


@strawberry.type(description="The result for one item of a batch.")
class BatchItemResult:
    index: int = strawberry.field(description="The item's position in the request, from 0.")
    status: ItemStatus = strawberry.field(description="What ingestion did with the item.")
    source_key: str | None = strawberry.field(
        description="The item's sourceKey (customerKey for holdings and consents)."
    )
    customer_no: str | None = strawberry.field(
        description="The golden customer the item belongs to, when known."
    )
    rejection: Rejection | None = strawberry.field(
        description="Why the item was rejected; null unless the status is REJECTED."
    )

    @classmethod
    def of(cls, item: ItemOutcome) -> BatchItemResult:
        rejection = None
        if item.status == "rejected":
            rejection = Rejection(field=item.field, code=item.code or "", reason=item.reason or "")
        return cls(
            index=item.index,
            status=ItemStatus(item.status),
            source_key=item.source_key,
            customer_no=item.customer_no,
            rejection=rejection,
        )


@strawberry.type(description="How many items of a batch ended in each status.")
class BatchCounts:
    created: int = strawberry.field(description="Items that created a record.")
    updated: int = strawberry.field(description="Items that changed a record.")
    merged: int = strawberry.field(description="Customer items merged into a golden customer.")
    unchanged: int = strawberry.field(description="Items that changed nothing.")
    rejected: int = strawberry.field(description="Items rejected and quarantined.")


@strawberry.type(
    description="The outcome of a batch: good items are kept even when others are rejected."
)
class BatchResult:
    items: list[BatchItemResult] = strawberry.field(
        description="One result per item, in the order of the request."
    )
    counts: BatchCounts = strawberry.field(description="Items per status.")

    @classmethod
    def of(cls, submission: Submission) -> BatchResult:
        return cls(
            items=[BatchItemResult.of(i) for i in submission.items],
            counts=BatchCounts(**submission.counts()),
        )
