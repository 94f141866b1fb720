"""Ingesting a batch of customer records: normalise, resolve identity, survive, write.

Every step is one pass or one statement over the whole batch. Records already
stored with the same content hash are unchanged and cost one lookup; new records
are matched against lineage and golden customers in one candidate query, grouped
with union-find (``identity``), and written with COPY.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import Any

import orjson

from cdp.config import get_settings
from cdp.crypto import get_cipher
from cdp.ingest import copy_text
from cdp.ingest import customer_store as store
from cdp.ingest.copy_text import NULL
from cdp.ingest.customer_record import CustomerRecord, now_iso
from cdp.ingest.identity import resolve, switchboards
from cdp.ingest.normalize.phone import mask
from cdp.ingest.pg import allocate_ids
from cdp.ingest.prepare import Prepared, Rejected, prepare_rows
from cdp.ingest.results import BatchResult, ItemResult, Status
from cdp.ingest.survivorship import (
    FALLBACK_TRUST,
    Contribution,
    snapshot,
    survive,
    to_columns,
)


def customer_no(customer_id: int) -> str:
    """Customers created by ingestion are numbered ``G`` + id (seeded ones use ``C``)."""
    return f"G{customer_id:010d}"


def _json(payload: Mapping[str, Any]) -> str:
    return orjson.dumps(payload).decode()


def _without_meta(payload: Mapping[str, Any]) -> dict[str, Any]:
    """A golden snapshot: the payload's golden fields only."""
    return {k: v for k, v in payload.items() if k != "updated_at"}


def _collect(
    prepared: Prepared,
    rows: Sequence[Mapping[str, object]],
    numbers: Sequence[int],
    items: list[ItemResult | None],
) -> dict[int, CustomerRecord]:
    """Valid records by row index; rejections (and superseded duplicates) into ``items``."""
    records: dict[int, CustomerRecord] = {}
    seen: dict[str, int] = {}
    for i, rec in enumerate(prepared):
        if isinstance(rec, Rejected):
            key = rows[i].get("source_key")
            items[i] = ItemResult(
                numbers[i], "rejected", str(key) if key else None, None, None,
                rec.field, rec.code, rec.reason, dict(rows[i]),
            )  # fmt: skip
            continue
        earlier = seen.get(rec.source_key)
        if earlier is not None:
            items[earlier] = ItemResult(
                numbers[earlier], "rejected", rec.source_key, None, None, "source_key",
                "duplicate_in_batch",
                f"source_key appears again at row {numbers[i]}; the later row is kept",
                dict(rows[earlier]),
            )  # fmt: skip
            del records[earlier]
        seen[rec.source_key] = i
        records[i] = rec
    return records


async def ingest_customers(
    pg: Any,
    source: str,
    rows: Sequence[Mapping[str, object]],
    numbers: Sequence[int],
    result: BatchResult,
    prepared: Prepared | None = None,
) -> list[ItemResult]:
    settings, cipher = get_settings(), get_cipher()
    trust = settings.source_trust.get(source, 0)
    items: list[ItemResult | None] = [None] * len(rows)
    if prepared is None:
        prepared = prepare_rows("customers", rows, date.today(), seal=False)
    records = _collect(prepared, rows, numbers, items)
    existing = await store.existing_records(pg, source, [r.source_key for r in records.values()])

    new: list[int] = []
    changed: list[int] = []
    for i, rec in records.items():
        ex = existing.get(rec.source_key)
        if ex is None:
            new.append(i)
        elif ex.content_hash == rec.content_hash:
            items[i] = ItemResult(numbers[i], "unchanged", rec.source_key, ex.customer_id)
        else:
            changed.append(i)
    for i in (*new, *changed):
        records[i].seal(cipher)

    # Identity: candidates for the whole batch in one query, then union-find.
    keys = [records[i].keys for i in new]
    cands = await store.candidates(
        pg,
        sorted({k.id_hash for k in keys if k.id_hash is not None}),
        sorted({k.phone_hash for k in keys if k.phone_hash is not None}),
        sorted({k.email for k in keys if k.email is not None}),
    )
    blocked = switchboards(keys, cands, settings.identity_phone_cap)
    for i in new:
        rec = records[i]
        if rec.phone_hash in blocked and rec.payload["phone"]:
            result.switchboards.add(mask(rec.payload["phone"]))
    resolutions = resolve(keys, cands, blocked)

    leaders = [
        p for p, res in enumerate(resolutions) if res.customer_id is None and res.leader == p
    ]
    new_ids = dict(zip(leaders, await allocate_ids(pg, "customer", len(leaders)), strict=True))
    target: list[int] = [
        res.customer_id if res.customer_id is not None else new_ids[res.leader or 0]
        for res in resolutions
    ]
    # A new customer made of one record is that record: its row was rendered with
    # the record, and no survivorship is computed.
    members = Counter(target)
    alone = {
        cid: records[new[p]]
        for p, cid in new_ids.items()
        if members[cid] == 1 and records[new[p]].golden_copy is not None
    }

    # Survivorship over every record of each other customer this batch touches.
    affected = {t for p, t in enumerate(target) if p not in new_ids}
    affected -= set(new_ids.values())
    affected |= {existing[records[i].source_key].customer_id for i in changed}
    stored = await store.records_of(pg, affected)
    current = await store.current_rows(pg, affected)
    replaced = {existing[records[i].source_key].id: records[i] for i in changed}
    contributions: dict[int, list[Contribution]] = {cid: [] for cid in affected}
    contributions.update({cid: [] for cid in new_ids.values() if cid not in alone})
    for cid, recs in stored.items():
        for sr in recs:
            fresh = replaced.get(sr.id)
            payload = fresh.payload if fresh is not None else sr.payload
            recency = payload.get("updated_at") or (now_iso() if fresh else sr.recency)
            trust_of = trust if fresh else settings.source_trust.get(sr.source, 0)
            contributions[cid].append(Contribution(trust_of, recency, payload))
    for cid, row in current.items():
        contributions[cid].append(Contribution(FALLBACK_TRUST, "", snapshot(row)))
    before = {cid: snapshot(row) for cid, row in current.items()}
    for p, i in enumerate(new):
        if target[p] not in alone:
            payload = records[i].payload
            contributions[target[p]].append(
                Contribution(trust, payload.get("updated_at") or now_iso(), payload)
            )

    goldens = {cid: c[0].payload if len(c) == 1 else survive(c) for cid, c in contributions.items()}
    written = [records[i].advisor_no for i in (*new, *changed)]
    advisor_nos = {g["advisor_no"] for g in goldens.values() if g.get("advisor_no")}
    advisor_ids = await store.advisors(pg, advisor_nos | {no for no in written if no})
    # An unknown advisor does not cost the customer: the row is kept, unassigned.
    result.warnings["unknown_advisor"] += sum(1 for no in written if no and no not in advisor_ids)

    def customer_lines() -> Iterator[str]:
        # Rendered as the COPY consumes them (see ``copy_lines``).
        for cid in new_ids.values():
            only = alone.get(cid)
            if only is not None and only.golden_copy is not None:
                head, tail = only.golden_copy
                advisor = advisor_ids.get(only.advisor_no or "")
                yield f"{cid}\t{customer_no(cid)}\t{head}\t{advisor or NULL}\t{tail}\n"
            else:
                golden = to_columns(goldens[cid], advisor_ids, cipher)
                yield copy_text.line((cid, customer_no(cid), *golden)) + "\n"

    await store.insert_customers(pg, customer_lines())
    await store.update_customers(
        pg,
        [(cid, *to_columns(goldens[cid], advisor_ids, cipher)) for cid in sorted(affected)],
    )
    prefix = copy_text.text(source)
    await store.insert_source_records(
        pg, (f"{target[p]}\t{prefix}\t{records[i].source_copy}\n" for p, i in enumerate(new))
    )
    await store.update_source_records(
        pg,
        [
            (existing[records[i].source_key].id, records[i].payload_json, records[i].content_hash)
            for i in changed
        ],
    )
    leader = {cid: records[new[p]] for p, cid in new_ids.items()}
    merged: list[int] = []
    for p, i in enumerate(new):
        res = resolutions[p]
        status: Status = "created" if p in new_ids else "merged"
        items[i] = ItemResult(numbers[i], status, records[i].source_key, target[p], res.rule)
        if status == "merged":
            merged.append(p)
    # Source record ids are assigned by COPY; only merges refer to them, so only
    # the merged records' ids are read back.
    record_ids = await store.record_ids(pg, source, [records[new[p]].source_key for p in merged])
    await store.insert_merges(
        pg,
        [
            (
                target[p],
                record_ids[records[new[p]].source_key],
                resolutions[p].rule or "id_number",
                _json(before.get(target[p]) or leader[target[p]].payload),
            )
            for p in merged
        ],
    )
    for i in changed:
        ex = existing[records[i].source_key]
        items[i] = ItemResult(numbers[i], "updated", records[i].source_key, ex.customer_id)
    return [it for it in items if it is not None]
