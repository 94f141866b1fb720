"""What a source-system mutation answers: per-item results in input order, and counts.

The answer passes through the caller's field plan like any object the API returns,
and it can say more than the caller may read: ``MERGED`` means a customer with the
item's ID number, phone or e-mail (and name) already exists, and the customer
number says which. That is the answer to a lookup by those fields, so only a
caller who could run that lookup — every customer in its row scope, allowed to
filter on each field identity resolution matches on — learns it. Anyone else
(source systems by default) is told ``CREATED`` for a merged record, exactly as for
a new one, and gets no customer numbers: what such a caller learns is what it sent
itself (its own records created, changed or unchanged under its own keys, and why
an item was rejected), never what other sources know.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry

from cdp.errors import ForbiddenFilter
from cdp.ingest.results import STATUSES
from cdp.intake import ItemOutcome, Submission
from schema.permissions import DENIED, FieldPolicy

# The fields identity resolution matches a record on (docs/import-formats.md).
MATCH_FIELDS = ("idNumber", "phone", "email", "name")


@strawberry.enum(description="What ingestion did with one item of a batch.")
class ItemStatus(Enum):
    CREATED = strawberry.enum_value("created", description="A new record was written.")
    UPDATED = strawberry.enum_value("updated", description="An existing record was changed.")
    MERGED = strawberry.enum_value(
        "merged",
        description="A new customer record was attached to an existing golden customer "
        "by identity resolution. Told only to callers that read every customer and may "
        "filter them on ID number, phone, e-mail and name; others get CREATED.",
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
        description="The golden customer the item belongs to, when known; only for callers "
        "that are told about matches (see MERGED), as they may read Customer.customerNo."
    )
    rejection: Rejection | None = strawberry.field(
        description="Why the item was rejected; null unless the status is REJECTED."
    )

    @classmethod
    def of(cls, item: ItemOutcome, policy: FieldPolicy, sees_matches: bool) -> BatchItemResult:
        rejection = None
        if item.status == "rejected":
            why = {"field": item.field, "code": item.code or "", "reason": item.reason or ""}
            rejection = Rejection(**policy.project("Rejection", why))
        status = item.status
        if status == "merged" and not sees_matches:
            status = "created"
        # The number of a golden customer is Customer.customerNo, read as that field is;
        # a caller who may not see matches gets none (which items have one would tell).
        number = item.customer_no if sees_matches else None
        as_customer = policy.project("Customer", {"customer_no": number})["customer_no"]
        values = policy.project(
            "BatchItemResult",
            {
                "index": item.index,
                "status": ItemStatus(status),
                "source_key": item.source_key,
                "customer_no": None if as_customer is DENIED else as_customer,
                "rejection": rejection,
            },
        )
        if as_customer is DENIED:
            values["customer_no"] = DENIED
        return cls(**values)


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
    def of(cls, submission: Submission, policy: FieldPolicy) -> BatchResult:
        sees = sees_matches(policy)
        items = [BatchItemResult.of(i, policy, sees) for i in submission.items]
        statuses = [item.status for item in submission.items]
        if not sees:
            statuses = ["created" if s == "merged" else s for s in statuses]
        tally: dict[str, Any] = {s: statuses.count(s) for s in STATUSES}
        counts = BatchCounts(**policy.project("BatchCounts", tally))
        return cls(**policy.project("BatchResult", {"items": items, "counts": counts}))


def sees_matches(policy: FieldPolicy) -> bool:
    """Whether the caller may learn that an item matched an existing customer: it
    reads every customer and may filter them on every field a match is made on."""
    if policy.scope("customer") is not None:
        return False
    try:
        policy.require_filter("Customer", MATCH_FIELDS)
    except ForbiddenFilter:
        return False
    return True
