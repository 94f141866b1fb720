"""Bulk-load plumbing: COPY, and secondary indexes/constraints deferred around a load.

Maintaining a b-tree and checking a foreign key per inserted row costs more than
building the index once and validating the key with one join afterwards, so the
big tables are loaded bare. What is dropped is read from the catalog first and
recreated with the same names and definitions; the caller runs all of it in one
transaction, so a failure leaves the schema untouched.
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from typing import Any

import asyncpg

CUSTOMER_COLUMNS = (
    "id", "customer_no", "name", "gender", "birth_date", "id_type", "id_number_enc",
    "id_number_hash", "phone", "phone_hash", "email", "province", "city", "occupation",
    "annual_income", "risk_level", "risk_assessed_at", "investor_class", "advisor_id", "branch",
    "onboarded_at", "status", "updated_at", "created_at",
)  # fmt: skip
HOUSEHOLD_COLUMNS = ("id", "household_no", "name", "created_at")
MEMBER_COLUMNS = ("customer_id", "household_id", "relation")
HOLDING_COLUMNS = (
    "customer_id", "product_id", "units", "market_value", "cost", "opened_at", "updated_at",
)  # fmt: skip
REFERRAL_COLUMNS = ("referrer_id", "referee_id", "referred_at", "channel")
ADVISOR_COLUMNS = ("id", "employee_no", "name", "branch")
PRODUCT_COLUMNS = (
    "id", "code", "name", "category", "risk_rating", "min_investment", "term_days",
    "expected_yield", "status", "launched_at",
)  # fmt: skip
PROFILE_COLUMNS = (
    "customer_id", "first_at", "last_txn", "txn_count", "event_last", "event_count", "products",
    "scale", "churned",
)  # fmt: skip

# Tables whose ids the seed assigns itself; their identity sequences are moved past them.
EXPLICIT_ID_TABLES = ("advisor", "product", "customer", "household")


async def copy_rows(
    conn: asyncpg.Connection, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]
) -> int:
    rows = list(rows)
    if rows:
        await conn.copy_records_to_table(table, records=rows, columns=list(columns))
    return len(rows)


async def copy_text(
    conn: asyncpg.Connection, table: str, columns: Sequence[str], data: bytes
) -> None:
    """COPY rows already in text format (see ``cdp.seed.textcopy``)."""
    if data:
        await conn.copy_to_table(table, source=io.BytesIO(data), columns=list(columns))


async def create_profile_table(conn: asyncpg.Connection) -> None:
    """Per-customer activity parameters for the set-based generators (session-local)."""
    await conn.execute(
        "CREATE TEMP TABLE seed_profile (customer_id bigint PRIMARY KEY, first_at timestamptz,"
        " last_txn timestamptz, txn_count int, event_last timestamptz, event_count int,"
        " products bigint[], scale float8, churned bool) ON COMMIT DROP"
    )


async def advance_identities(conn: asyncpg.Connection) -> None:
    for table in EXPLICIT_ID_TABLES:
        await conn.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
            f" coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
        )


@asynccontextmanager
async def deferred_indexes(conn: asyncpg.Connection, tables: Sequence[str]) -> AsyncIterator[None]:
    """Drop unique/foreign-key constraints and plain indexes of ``tables``; restore on exit."""
    constraints = await conn.fetch(
        "SELECT c.conrelid::regclass::text AS tbl, c.conname, pg_get_constraintdef(c.oid) AS def"
        " FROM pg_constraint c WHERE c.conrelid = ANY($1::text[]::regclass[])"
        " AND c.contype IN ('u', 'f')",
        list(tables),
    )
    indexes = await conn.fetch(
        "SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def"
        " FROM pg_index i WHERE i.indrelid = ANY($1::text[]::regclass[]) AND NOT i.indisprimary"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
        list(tables),
    )
    for row in constraints:
        await conn.execute(f'ALTER TABLE {row["tbl"]} DROP CONSTRAINT "{row["conname"]}"')
    for row in indexes:
        await conn.execute(f"DROP INDEX {row['name']}")
    yield
    await conn.execute("SET LOCAL maintenance_work_mem = '512MB'")
    for row in indexes:
        await conn.execute(row["def"])
    for row in constraints:
        await conn.execute(
            f'ALTER TABLE {row["tbl"]} ADD CONSTRAINT "{row["conname"]}" {row["def"]}'
        )
