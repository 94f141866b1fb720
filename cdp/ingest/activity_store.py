"""The SQL behind activity ingestion: set-based upserts that report what changed.

Upserts use ``ON CONFLICT … DO UPDATE … WHERE (…) IS DISTINCT FROM (…)`` so a row
whose values did not change is neither rewritten nor returned; ``xmax = 0`` on a
returned row tells an insert from an update.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any

import orjson

from cdp.ingest.activity_records import Record
from cdp.ingest.pg import allocate_ids, copy_rows
from cdp.ingest.results import Status

Outcome = dict[int, tuple[int, Status]]  # batch index -> (row id, created | updated)


async def customer_records(pg: Any, source: str, keys: Iterable[str]) -> dict[str, tuple[int, int]]:
    """customer_key -> (source_record id, golden customer id)."""
    rows = await pg.fetch(
        "SELECT source_key, id, customer_id FROM source_record "
        "WHERE source = $1 AND source_key = ANY($2::text[])",
        source,
        sorted(keys),
    )
    return {r[0]: (r[1], r[2]) for r in rows}


async def products(pg: Any, codes: Iterable[str]) -> dict[str, int]:
    wanted = sorted(codes)
    if not wanted:
        return {}
    rows = await pg.fetch("SELECT code, id FROM product WHERE code = ANY($1::text[])", wanted)
    return {r[0]: r[1] for r in rows}


def _status(inserted: bool) -> Status:
    return "created" if inserted else "updated"


async def _upsert(
    pg: Any,
    sql: str,
    recs: dict[int, Record],
    columns: Sequence[str],
    key: Callable[[Record], Any],
    source: str,
) -> Outcome:
    """Run an upsert whose RETURNING is (*conflict key, id, inserted)."""
    if not recs:
        return {}
    order = list(recs)
    arrays = [[recs[i][c] for i in order] for c in columns]
    rows = await pg.fetch(sql, *arrays, source)
    by_key = {key(recs[i]): i for i in order}
    outcome: Outcome = {}
    for r in rows:
        width = len(r) - 2
        k = r[0] if width == 1 else tuple(r[j] for j in range(width))
        outcome[by_key[k]] = (r[width], _status(r[width + 1]))
    return outcome


async def write_holdings(pg: Any, source: str, recs: dict[int, Record]) -> Outcome:
    cols = ("customer_id", "product_id", "units", "market_value", "cost", "opened_at")
    sql = """
        INSERT INTO holding (customer_id, product_id, units, market_value, cost, opened_at)
        SELECT * FROM unnest($1::int8[], $2::int8[], $3::numeric[], $4::numeric[],
                             $5::numeric[], $6::timestamptz[])
         WHERE $7::text IS NOT NULL
        ON CONFLICT (customer_id, product_id) DO UPDATE
           SET units = EXCLUDED.units, market_value = EXCLUDED.market_value,
               cost = EXCLUDED.cost, opened_at = EXCLUDED.opened_at, updated_at = now()
         WHERE (holding.units, holding.market_value, holding.cost, holding.opened_at)
               IS DISTINCT FROM
               (EXCLUDED.units, EXCLUDED.market_value, EXCLUDED.cost, EXCLUDED.opened_at)
        RETURNING customer_id, product_id, id, xmax = 0
    """
    return await _upsert(pg, sql, recs, cols, lambda r: (r["customer_id"], r["product_id"]), source)


async def write_transactions(pg: Any, source: str, recs: dict[int, Record]) -> Outcome:
    cols = ("customer_id", "product_id", "kind", "amount", "channel", "occurred_at", "source_key")
    sql = """
        INSERT INTO "transaction" AS t
               (customer_id, product_id, kind, amount, channel, occurred_at, source_key, source)
        SELECT *, $8::text FROM unnest($1::int8[], $2::int8[], $3::text[],
               $4::numeric[], $5::text[], $6::timestamptz[], $7::text[])
        ON CONFLICT (source, source_key) DO UPDATE
           SET customer_id = EXCLUDED.customer_id, product_id = EXCLUDED.product_id,
               kind = EXCLUDED.kind, amount = EXCLUDED.amount, channel = EXCLUDED.channel,
               occurred_at = EXCLUDED.occurred_at
         WHERE (t.customer_id, t.product_id, t.kind, t.amount, t.channel, t.occurred_at)
               IS DISTINCT FROM (EXCLUDED.customer_id, EXCLUDED.product_id, EXCLUDED.kind,
               EXCLUDED.amount, EXCLUDED.channel, EXCLUDED.occurred_at)
        RETURNING source_key, id, xmax = 0
    """
    return await _upsert(pg, sql, recs, cols, lambda r: r["source_key"], source)


async def write_events(pg: Any, source: str, recs: dict[int, Record]) -> Outcome:
    for r in recs.values():
        r["properties_json"] = orjson.dumps(r["properties"]).decode()
    cols = ("customer_id", "kind", "occurred_at", "properties_json", "source_key")
    sql = """
        INSERT INTO interaction_event AS e
               (customer_id, kind, occurred_at, properties, source_key, source)
        SELECT v.c, v.k, v.o, v.p::jsonb, v.s, $6::text
          FROM unnest($1::int8[], $2::text[], $3::timestamptz[], $4::text[], $5::text[])
               AS v(c, k, o, p, s)
        ON CONFLICT (source, source_key) DO UPDATE
           SET customer_id = EXCLUDED.customer_id, kind = EXCLUDED.kind,
               occurred_at = EXCLUDED.occurred_at, properties = EXCLUDED.properties
         WHERE (e.customer_id, e.kind, e.occurred_at, e.properties)
               IS DISTINCT FROM
               (EXCLUDED.customer_id, EXCLUDED.kind, EXCLUDED.occurred_at, EXCLUDED.properties)
        RETURNING source_key, id, xmax = 0
    """
    return await _upsert(pg, sql, recs, cols, lambda r: r["source_key"], source)


async def write_consents(pg: Any, source: str, recs: dict[int, Record]) -> Outcome:
    """Append new consent events (history) and move the current state forward."""
    if not recs:
        return {}
    seen = await pg.fetch(
        "SELECT customer_id, purpose, occurred_at, granted FROM consent_event "
        "WHERE source = $1 AND customer_id = ANY($2::int8[])",
        source,
        sorted({r["customer_id"] for r in recs.values()}),
    )
    known = {(r[0], r[1], r[2], r[3]) for r in seen}
    fresh = [
        i for i, r in recs.items()
        if (r["customer_id"], r["purpose"], r["occurred_at"], r["granted"]) not in known
    ]  # fmt: skip
    ids = await allocate_ids(pg, "consent_event", len(fresh))
    await copy_rows(
        pg,
        "consent_event",
        ("id", "customer_id", "purpose", "granted", "source", "actor", "occurred_at"),
        [
            (row_id, recs[i]["customer_id"], recs[i]["purpose"], recs[i]["granted"], source,
             recs[i]["actor"], recs[i]["occurred_at"])
            for row_id, i in zip(ids, fresh, strict=True)
        ],
    )  # fmt: skip
    latest: dict[tuple[int, str], Record] = {}
    for i in fresh:
        r = recs[i]
        k = (r["customer_id"], r["purpose"])
        if k not in latest or latest[k]["occurred_at"] <= r["occurred_at"]:
            latest[k] = r
    await pg.execute(
        """
        INSERT INTO consent AS c (customer_id, purpose, granted, source, updated_at)
        SELECT v.c, v.p, v.g, $4, v.o
          FROM unnest($1::int8[], $2::text[], $3::bool[], $5::timestamptz[]) AS v(c, p, g, o)
        ON CONFLICT (customer_id, purpose) DO UPDATE
           SET granted = EXCLUDED.granted, source = EXCLUDED.source,
               updated_at = EXCLUDED.updated_at
         WHERE c.updated_at <= EXCLUDED.updated_at
        """,
        [r["customer_id"] for r in latest.values()],
        [r["purpose"] for r in latest.values()],
        [r["granted"] for r in latest.values()],
        source,
        [r["occurred_at"] for r in latest.values()],
    )
    return {i: (row_id, "created") for row_id, i in zip(ids, fresh, strict=True)}


async def record_origins(pg: Any, kind: str, origins: Sequence[tuple[int, int]]) -> None:
    if not origins:
        return
    await pg.execute(
        "INSERT INTO record_origin (kind, row_id, source_record_id) "
        "SELECT $1, r, s FROM unnest($2::int8[], $3::int8[]) AS v(r, s) "
        "ON CONFLICT (kind, row_id) DO UPDATE SET source_record_id = EXCLUDED.source_record_id",
        kind,
        [o[0] for o in origins],
        [o[1] for o in origins],
    )


WRITERS: dict[str, Callable[[Any, str, dict[int, Record]], Awaitable[Outcome]]] = {
    "holdings": write_holdings,
    "transactions": write_transactions,
    "events": write_events,
    "consents": write_consents,
}
