"""Idempotency keys over HTTP: a retry is answered from the store and changes nothing."""

from __future__ import annotations

import httpx

from cdp.db.engine import Database
from tests.ingest.helpers import card, person
from tests.schema.mutations.helpers import (
    RECORD_TRANSACTIONS,
    UPSERT_CUSTOMERS,
    count,
    data,
    error_code,
    send,
    statuses,
)

TABLES = ("customer", "source_record", "import_run", "quarantine", "idempotency_key")


async def _counts(db: Database) -> dict[str, int]:
    return {table: await count(db, table) for table in TABLES}


async def test_retry_returns_the_stored_response_and_changes_nothing(
    client: httpx.AsyncClient, db: Database
) -> None:
    rows = [person("CB1", "张三"), person("CB2", "李四", phone="123")]
    first = await send(client, UPSERT_CUSTOMERS, rows, key="push-1")
    after_first = await _counts(db)
    retry = await send(client, UPSERT_CUSTOMERS, rows, key="push-1")

    assert retry == first
    assert statuses(data(retry)) == ["CREATED", "REJECTED"]  # not UNCHANGED: the first answer
    assert await _counts(db) == after_first
    assert after_first["idempotency_key"] == 1


async def test_same_key_with_other_items_is_a_conflict(
    client: httpx.AsyncClient, db: Database
) -> None:
    await send(client, UPSERT_CUSTOMERS, [person("CB1", "张三")], key="push-1")
    before = await _counts(db)

    body = await send(client, UPSERT_CUSTOMERS, [person("CB1", "张三丰")], key="push-1")

    assert body["data"] is None
    assert error_code(body) == "CONFLICT"
    assert body["errors"][0]["extensions"]["idempotencyKey"] == "push-1"
    assert await _counts(db) == before


async def test_keys_are_scoped_to_source_and_operation(client: httpx.AsyncClient) -> None:
    rows = [person("K1", "张三", id_number=card(7))]
    core = data(await send(client, UPSERT_CUSTOMERS, rows, key="k"))
    crm = data(await send(client, UPSERT_CUSTOMERS, rows, key="k", source="crm"))
    other_operation = await send(client, RECORD_TRANSACTIONS, [], key="k")

    assert statuses(core) == ["CREATED"]
    assert statuses(crm) == ["MERGED"]  # ran: the key of core_banking does not apply
    assert data(other_operation)["items"] == []


async def test_without_a_key_a_resend_runs_again(client: httpx.AsyncClient) -> None:
    rows = [person("CB1", "张三")]
    await send(client, UPSERT_CUSTOMERS, rows)
    assert statuses(data(await send(client, UPSERT_CUSTOMERS, rows))) == ["UNCHANGED"]


async def test_an_unusable_key_is_bad_input(client: httpx.AsyncClient) -> None:
    for key in ["", " padded ", "k" * 129]:
        body = await send(client, UPSERT_CUSTOMERS, [person("CB1", "张三")], key=key)
        assert error_code(body) == "BAD_USER_INPUT", key
