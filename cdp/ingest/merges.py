"""Listing identity merges and splitting a wrong one back out.

Undoing a merge gives the merged source record its own golden customer again,
recomputes the survivor from the records it keeps (its pre-merge snapshot fills
whatever they lack), and moves the holdings, transactions, events and consent
events that arrived through that record's ``customer_key``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cdp.config import get_settings
from cdp.crypto import get_cipher
from cdp.db.engine import AsyncWriteSession
from cdp.errors import Conflict, NotFound
from cdp.ingest import copy_text
from cdp.ingest import customer_store as store
from cdp.ingest.customers import customer_no
from cdp.ingest.pg import allocate_ids, driver
from cdp.ingest.survivorship import FALLBACK_TRUST, Contribution, survive, to_columns

# kind in record_origin -> table whose rows move with the record
MOVABLE = {
    "holdings": "holding",
    "transactions": '"transaction"',
    "events": "interaction_event",
    "consents": "consent_event",
}


@dataclass(frozen=True)
class MergeRow:
    """A merge as people read it: customers by their numbers, never internal ids."""

    id: int
    survivor_no: str
    source: str
    source_key: str
    rule: str
    merged_at: datetime
    undone_at: datetime | None
    split_customer_no: str | None


@dataclass(frozen=True)
class UndoResult:
    merge_id: int
    survivor_id: int
    split_customer_id: int
    moved: dict[str, int]
    survivor_no: str = ""
    split_customer_no: str = ""


async def list_merges(
    session: AsyncWriteSession, customer_no: str | None = None, limit: int = 200
) -> list[MergeRow]:
    """Merges into (or split out of) the customer numbered ``customer_no``, or all;
    newest first. An unknown customer number is ``NotFound``."""
    pg = await driver(session)
    customer_id = None
    if customer_no is not None:
        customer_id = await pg.fetchval(
            "SELECT id FROM customer WHERE customer_no = $1", customer_no.strip().upper()
        )
        if customer_id is None:
            raise NotFound(f"no customer {customer_no}")
    rows = await pg.fetch(
        "SELECT m.id, sv.customer_no, s.source, s.source_key, m.rule, m.merged_at, m.undone_at, "
        "sp.customer_no FROM identity_merge m JOIN source_record s "
        "ON s.id = m.source_record_id JOIN customer sv ON sv.id = m.survivor_id "
        "LEFT JOIN customer sp ON sp.id = m.split_customer_id "
        "WHERE $1::int8 IS NULL OR m.survivor_id = $1 "
        "OR m.split_customer_id = $1 ORDER BY m.id DESC LIMIT $2",
        customer_id,
        limit,
    )
    return [MergeRow(*r) for r in rows]


async def undo_merge(session: AsyncWriteSession, merge_id: int) -> UndoResult:
    pg = await driver(session)
    merge = await pg.fetchrow(
        "SELECT m.survivor_id, m.survivor_before, m.undone_at, s.id AS record_id, s.source, "
        "s.customer_id, s.payload, s.updated_at FROM identity_merge m "
        "JOIN source_record s ON s.id = m.source_record_id WHERE m.id = $1 FOR UPDATE OF m, s",
        merge_id,
    )
    if merge is None:
        raise NotFound(f"no merge {merge_id}")
    if merge["undone_at"] is not None:
        raise Conflict(f"merge {merge_id} was already undone")
    survivor: int = merge["survivor_id"]
    if merge["customer_id"] != survivor:
        raise Conflict(f"the record of merge {merge_id} no longer belongs to customer {survivor}")
    trust = get_settings().source_trust
    cipher = get_cipher()
    payload: dict[str, Any] = merge["payload"]
    recency = payload.get("updated_at") or merge["updated_at"].isoformat()

    (split,) = await allocate_ids(pg, "customer", 1)
    own = survive([Contribution(trust.get(merge["source"], 0), recency, payload)])
    advisors = await store.advisors(pg, [own["advisor_no"]] if own["advisor_no"] else [])
    row = (split, customer_no(split), *to_columns(own, advisors, cipher))
    await store.insert_customers(pg, [copy_text.line(row) + "\n"])
    await pg.execute(
        "UPDATE source_record SET customer_id = $2 WHERE id = $1", merge["record_id"], split
    )
    remaining = (await store.records_of(pg, [survivor]))[survivor]
    contributions = [Contribution(trust.get(r.source, 0), r.recency, r.payload) for r in remaining]
    contributions.append(Contribution(FALLBACK_TRUST, "", merge["survivor_before"]))
    golden = survive(contributions)
    advisors = await store.advisors(pg, [golden["advisor_no"]] if golden["advisor_no"] else [])
    await store.update_customers(pg, [(survivor, *to_columns(golden, advisors, cipher))])

    moved: dict[str, int] = {}
    for kind, table in MOVABLE.items():
        status = await pg.execute(
            f"UPDATE {table} SET customer_id = $3 WHERE customer_id = $2 AND id IN "
            "(SELECT row_id FROM record_origin WHERE kind = $4 AND source_record_id = $1)",
            merge["record_id"],
            survivor,
            split,
            kind,
        )
        moved[kind] = int(status.split()[-1])
    if moved["consents"]:
        await _recompute_consents(pg, [survivor, split])
    await pg.execute(
        "UPDATE identity_merge SET undone_at = now(), split_customer_id = $2 WHERE id = $1",
        merge_id,
        split,
    )
    survivor_no: str = await pg.fetchval("SELECT customer_no FROM customer WHERE id = $1", survivor)
    return UndoResult(merge_id, survivor, split, moved, survivor_no, customer_no(split))


async def _recompute_consents(pg: Any, customer_ids: list[int]) -> None:
    """Current consent is the latest event per purpose, for each customer given."""
    await pg.execute("DELETE FROM consent WHERE customer_id = ANY($1::int8[])", customer_ids)
    await pg.execute(
        "INSERT INTO consent (customer_id, purpose, granted, source, updated_at) "
        "SELECT DISTINCT ON (customer_id, purpose) customer_id, purpose, granted, source, "
        "occurred_at FROM consent_event WHERE customer_id = ANY($1::int8[]) "
        "ORDER BY customer_id, purpose, occurred_at DESC, id DESC",
        customer_ids,
    )
