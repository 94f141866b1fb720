"""A mutation and ``cdp import`` of the same rows give the same result: one code path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import orjson
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from cdp.db.engine import Database
from cdp.ingest import import_file
from tests.ingest.helpers import card, person
from tests.schema.mutations.helpers import UPSERT_CUSTOMERS, data, send

ROWS = [
    person("S1", "张 三", id_number=card(11), phone="+86 138-0013-8000", annual_income="12万"),
    person("S2", "Li   Wei", phone="0086 13900139000", email="LI@Example.com"),
    person("S3", "张三", id_number=card(11), risk_level="稳健型"),  # same person as S1
    person("S4", "王五", phone="12345"),
    person("S5", "赵六", gender="X"),
    person("S6", "孙七", birth_date="2999-01-01"),
    person("S2", "Li Wei", phone="13900139000", updated_at="2024-07-01"),  # duplicate key
]

STATE = """
SELECT sr.source_key, c.name, c.gender, c.birth_date, c.phone, c.email, c.annual_income,
       c.risk_level, c.investor_class,
       array_agg(other.source_key ORDER BY other.source_key) AS customer_records
FROM source_record sr
JOIN customer c ON c.id = sr.customer_id
JOIN source_record other ON other.customer_id = c.id
GROUP BY sr.source_key, c.id
ORDER BY sr.source_key
"""
QUARANTINE = "SELECT row_number, source_key, field, reason_code, reason FROM quarantine ORDER BY 1"


async def _state(db: Database) -> tuple[list[Any], list[Any]]:
    async with db.read_session() as session:
        state = [tuple(r) for r in await session.execute(text(STATE))]
        quarantined = [tuple(r) for r in await session.execute(text(QUARANTINE))]
    return state, quarantined


async def test_mutation_and_file_import_agree(
    client: httpx.AsyncClient, db: Database, connection: AsyncConnection, tmp_path: Path
) -> None:
    path = tmp_path / "customers.jsonl"
    path.write_bytes(b"\n".join(orjson.dumps(row) for row in ROWS))

    # The file import runs in a savepoint that is rolled back, so the mutation
    # below starts from the same empty database.
    savepoint = await connection.begin_nested()
    report = await import_file(
        db, path, source="core_banking", kind="customers", rejects_path=None, progress=None
    )
    by_file = await _state(db)
    await savepoint.rollback()

    result = data(await send(client, UPSERT_CUSTOMERS, ROWS))
    by_api = await _state(db)

    assert result["counts"] == {
        s: report.counts.get(s, 0)
        for s in ("created", "updated", "merged", "unchanged", "rejected")
    }
    assert [(i["index"] + 1, i["rejection"]["field"], i["rejection"]["code"])
            for i in result["items"] if i["rejection"]] == [
        (r.row_number, r.field, r.code) for r in report.rejected_sample
    ]  # fmt: skip
    assert by_api == by_file
    assert len(by_api[0]) == 3  # S1, S2, S3 kept; S1 and S3 are one customer
    assert [q[3] for q in by_api[1]] == [
        "duplicate_in_batch", "phone_invalid", "gender_invalid", "date_out_of_range",
    ]  # fmt: skip
