"""The SQL behind customer ingestion: one statement per step for the whole batch."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from cdp.ingest.identity import Keys
from cdp.ingest.pg import copy_lines, copy_rows
from cdp.ingest.survivorship import CUSTOMER_COLUMNS

SOURCE_RECORD_COLUMNS = ("customer_id", "source", "source_key", "payload", "content_hash")
_CUSTOMER_TYPES = (
    "text", "text", "date", "text", "bytea", "bytea", "text", "bytea", "text", "text", "text",
    "text", "numeric", "int2", "date", "text", "int8", "text", "timestamptz",
)  # fmt: skip


@dataclass(frozen=True)
class Existing:
    id: int
    customer_id: int
    content_hash: bytes


@dataclass(frozen=True)
class StoredRecord:
    id: int
    source: str
    recency: str
    payload: dict[str, Any]


async def existing_records(pg: Any, source: str, keys: Sequence[str]) -> dict[str, Existing]:
    rows = await pg.fetch(
        "SELECT source_key, id, customer_id, content_hash FROM source_record "
        "WHERE source = $1 AND source_key = ANY($2::text[])",
        source,
        list(keys),
    )
    return {r[0]: Existing(r[1], r[2], bytes(r[3])) for r in rows}


async def candidates(
    pg: Any, id_hashes: list[bytes], phone_hashes: list[bytes], emails: list[str]
) -> list[tuple[int, Keys]]:
    """Every golden customer sharing an ID hash, phone or e-mail with the batch.

    Matching reads the golden customer's surviving values, not each of its source
    records: the lineage keys stay unindexed, which keeps writing a record cheap,
    at the price of not matching a value that lost survivorship (an older phone).
    """
    if not (id_hashes or phone_hashes or emails):
        return []
    rows = await pg.fetch(
        """
        SELECT c.id, c.id_number_hash, c.phone_hash, c.email, c.name, c.birth_date::text
          FROM customer c
         WHERE c.status <> 'merged'
           AND (c.id_number_hash = ANY($1::bytea[]) OR c.phone_hash = ANY($2::bytea[])
                OR c.email = ANY($3::text[]))
        """,
        id_hashes,
        phone_hashes,
        emails,
    )
    return [(r[0], Keys(_b(r[1]), _b(r[2]), r[3], r[4], r[5])) for r in rows]


def _b(value: Any) -> bytes | None:
    return None if value is None else bytes(value)


async def advisors(pg: Any, numbers: Iterable[str]) -> dict[str, int]:
    wanted = sorted(set(numbers))
    if not wanted:
        return {}
    rows = await pg.fetch(
        "SELECT employee_no, id FROM advisor WHERE employee_no = ANY($1::text[])", wanted
    )
    return {r[0]: r[1] for r in rows}


async def records_of(pg: Any, customer_ids: Iterable[int]) -> dict[int, list[StoredRecord]]:
    ids = sorted(set(customer_ids))
    found: dict[int, list[StoredRecord]] = {cid: [] for cid in ids}
    if not ids:
        return found
    rows = await pg.fetch(
        "SELECT customer_id, id, source, coalesce(payload->>'updated_at', "
        "to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS+00:00')), payload "
        "FROM source_record WHERE customer_id = ANY($1::int8[])",
        ids,
    )
    for r in rows:
        found[r[0]].append(StoredRecord(r[1], r[2], r[3], r[4]))
    return found


async def current_rows(pg: Any, customer_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    ids = sorted(set(customer_ids))
    if not ids:
        return {}
    rows = await pg.fetch(
        "SELECT c.*, a.employee_no AS advisor_no FROM customer c "
        "LEFT JOIN advisor a ON a.id = c.advisor_id WHERE c.id = ANY($1::int8[])",
        ids,
    )
    return {r["id"]: dict(r) for r in rows}


async def insert_customers(pg: Any, lines: Iterable[str]) -> None:
    """Lines are COPY text of (id, customer_no, *CUSTOMER_COLUMNS)."""
    await copy_lines(pg, "customer", ("id", "customer_no", *CUSTOMER_COLUMNS), lines)


async def update_customers(pg: Any, rows: Sequence[tuple[Any, ...]]) -> None:
    """Rows are (id, *CUSTOMER_COLUMNS); only rows whose values change are written."""
    if not rows:
        return
    columns = list(zip(*rows, strict=True))
    params = ", ".join(f"${i + 2}::{t}[]" for i, t in enumerate(_CUSTOMER_TYPES))
    names = ", ".join(CUSTOMER_COLUMNS)
    sets = ", ".join(f"{c} = v.{c}" for c in CUSTOMER_COLUMNS)
    old = ", ".join(f"c.{c}" for c in CUSTOMER_COLUMNS)
    new = ", ".join(f"v.{c}" for c in CUSTOMER_COLUMNS)
    await pg.execute(
        f"UPDATE customer c SET {sets}, updated_at = now() "
        f"FROM unnest($1::int8[], {params}) AS v(id, {names}) "
        f"WHERE c.id = v.id AND ({old}) IS DISTINCT FROM ({new})",
        *[list(col) for col in columns],
    )


async def insert_source_records(pg: Any, lines: Iterable[str]) -> None:
    """Lines are COPY text of ``SOURCE_RECORD_COLUMNS``; the table assigns the ids."""
    await copy_lines(pg, "source_record", SOURCE_RECORD_COLUMNS, lines)


async def update_source_records(pg: Any, rows: Sequence[tuple[Any, ...]]) -> None:
    """Rows are (id, payload json text, content_hash)."""
    if not rows:
        return
    cols = [list(c) for c in zip(*rows, strict=True)]
    await pg.execute(
        "UPDATE source_record s SET payload = v.payload::json, content_hash = v.h, "
        "updated_at = now() "
        "FROM unnest($1::int8[], $2::text[], $3::bytea[]) AS v(id, payload, h) WHERE s.id = v.id",
        *cols,
    )


async def record_ids(pg: Any, source: str, keys: Sequence[str]) -> dict[str, int]:
    """source_key -> source_record id, for records of ``source``."""
    if not keys:
        return {}
    rows = await pg.fetch(
        "SELECT source_key, id FROM source_record "
        "WHERE source = $1 AND source_key = ANY($2::text[])",
        source,
        list(keys),
    )
    return {r[0]: r[1] for r in rows}


async def insert_merges(pg: Any, rows: Sequence[tuple[Any, ...]]) -> None:
    """Rows are (survivor_id, source_record_id, rule, survivor_before json text)."""
    await copy_rows(
        pg, "identity_merge", ("survivor_id", "source_record_id", "rule", "survivor_before"), rows
    )
