"""Batch size and source: refused as a whole, before anything is written."""

from __future__ import annotations

import httpx

from cdp.db.engine import Database
from cdp.intake import MAX_ITEMS
from tests.ingest.helpers import person
from tests.schema.mutations.helpers import (
    SET_CONSENTS,
    UPSERT_CUSTOMERS,
    count,
    data,
    error_code,
    send,
)


def _consent(n: int) -> dict[str, str]:
    return {"customer_key": f"C{n}", "purpose": "营销", "granted": "Y", "occurred_at": "2024-01-01"}


async def test_more_than_the_limit_is_refused(client: httpx.AsyncClient, db: Database) -> None:
    rows = [person(f"CB{n}", "张三") for n in range(MAX_ITEMS + 1)]
    body = await send(client, UPSERT_CUSTOMERS, rows)

    assert body["data"] is None
    assert error_code(body) == "BAD_USER_INPUT"
    [error] = body["errors"]
    assert error["extensions"]["limit"] == MAX_ITEMS == 1000
    assert error["extensions"]["received"] == MAX_ITEMS + 1
    assert "1000" in error["message"]
    assert await count(db, "import_run") == 0


async def test_the_limit_itself_is_accepted(client: httpx.AsyncClient) -> None:
    result = data(await send(client, SET_CONSENTS, [_consent(n) for n in range(MAX_ITEMS)]))
    assert result["counts"]["rejected"] == MAX_ITEMS  # no such customers, but all judged
    assert result["items"][-1]["index"] == MAX_ITEMS - 1


async def test_a_source_is_required(client: httpx.AsyncClient, db: Database) -> None:
    body = await send(client, UPSERT_CUSTOMERS, [person("CB1", "张三")], source="  ")
    assert error_code(body) == "BAD_USER_INPUT"
    assert await count(db, "customer") == 0
