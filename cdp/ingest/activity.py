"""Writing holdings, transactions, events and consents for a batch.

Rows name their customer by ``customer_key`` — the source_key of a customer record
of the same source — so they follow that record to whichever golden customer it
resolved to. Each written row's origin (the customer source record) is kept in
``record_origin`` so splitting a wrong merge can take the row along.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from cdp.ingest import activity_store as store
from cdp.ingest.activity_records import Record
from cdp.ingest.prepare import Prepared, Rejected, prepare_rows
from cdp.ingest.results import BatchResult, ItemResult, Status


def _reject(
    number: int, row: Mapping[str, object], field: str | None, code: str, reason: str
) -> ItemResult:
    key = row.get("source_key") or row.get("customer_key")
    return ItemResult(
        number, "rejected", str(key) if key else None, None, None, field, code, reason, dict(row)
    )


def _conflict_key(kind: str, rec: Record) -> object:
    if kind == "holdings":
        return (rec["customer_id"], rec["product_id"])
    if kind == "consents":
        return (rec["customer_id"], rec["purpose"], rec["occurred_at"], rec["granted"])
    return rec["source_key"]


async def ingest_activity(
    pg: Any,
    source: str,
    kind: str,
    rows: Sequence[Mapping[str, object]],
    numbers: Sequence[int],
    result: BatchResult,
    prepared: Prepared | None = None,
) -> list[ItemResult]:
    if prepared is None:
        prepared = prepare_rows(kind, rows, date.today(), seal=False)
    items: dict[int, ItemResult] = {}
    records: dict[int, Record] = {}
    for i, rec in enumerate(prepared):
        if isinstance(rec, Rejected):
            items[i] = _reject(numbers[i], rows[i], rec.field, rec.code, rec.reason)
        else:
            records[i] = rec

    owners = await store.customer_records(pg, source, {r["customer_key"] for r in records.values()})
    codes = {r["product_code"] for r in records.values() if r.get("product_code")}
    products = await store.products(pg, codes)
    latest: dict[object, int] = {}
    for i in list(records):
        rec = records[i]
        owner = owners.get(rec["customer_key"])
        code = rec.get("product_code")
        if owner is None:
            items[i] = _reject(
                numbers[i], rows[i], "customer_key", "unknown_customer",
                f"no customer record {rec['customer_key']!r} from source {source!r}",
            )  # fmt: skip
        elif code and code not in products:
            items[i] = _reject(
                numbers[i], rows[i], "product_code", "unknown_product", f"no product {code!r}"
            )
        else:
            rec["source_record_id"], rec["customer_id"] = owner
            rec["product_id"] = products.get(code) if code else None
            key = _conflict_key(kind, rec)
            if key in latest:
                j = latest[key]
                items[j] = _reject(
                    numbers[j], rows[j], None, "duplicate_in_batch",
                    f"the same row appears again at row {numbers[i]}; the later row is kept",
                )  # fmt: skip
            latest[key] = i
            continue
        del records[i]
    kept = {i: records[i] for i in latest.values()}

    outcome: dict[int, tuple[int, Status]] = await store.WRITERS[kind](pg, source, kept)
    origins = [(row_id, kept[i]["source_record_id"]) for i, (row_id, _) in outcome.items()]
    await store.record_origins(pg, kind, origins)
    for i, rec in kept.items():
        status: Status = outcome[i][1] if i in outcome else "unchanged"
        items[i] = ItemResult(
            numbers[i], status, rec.get("source_key") or rec["customer_key"], rec["customer_id"]
        )
    return [items[i] for i in sorted(items)]
