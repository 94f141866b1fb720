"""recordTransactions and recordInteractions over HTTP."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from cdp.db.engine import AsyncWriteSession, Database
from tests.ingest.helpers import person, scalar
from tests.schema.mutations.helpers import (
    RECORD_INTERACTIONS,
    RECORD_TRANSACTIONS,
    UPSERT_CUSTOMERS,
    count,
    data,
    send,
    statuses,
)


@pytest.fixture
async def customer_no(client: httpx.AsyncClient) -> str:
    result = data(await send(client, UPSERT_CUSTOMERS, [person("CB1", "张三")]))
    no: str = result["items"][0]["customerNo"]
    return no


def transaction(key: str, **fields: str) -> dict[str, str]:
    row = {
        "source_key": key,
        "customer_key": "CB1",
        "kind": "申购",
        "amount": "¥3,000元",
        "channel": "手机银行",
        "occurred_at": "2024-05-01T10:30:00+08:00",
    }
    return row | fields


async def test_transactions(
    client: httpx.AsyncClient, db: Database, session: AsyncWriteSession, customer_no: str
) -> None:
    rows = [
        transaction("T1"),
        transaction("T2", kind="bribe"),
        transaction("T3", amount="-1"),
        transaction("T4", customer_key="NOBODY"),
        transaction("T5", channel="赎回", kind="赎回"),
    ]
    first = data(await send(client, RECORD_TRANSACTIONS, rows))
    again = data(await send(client, RECORD_TRANSACTIONS, [transaction("T1")]))

    assert statuses(first) == ["CREATED", "REJECTED", "REJECTED", "REJECTED", "REJECTED"]
    assert [(i["rejection"] or {}).get("field") for i in first["items"]] == [
        None, "kind", "amount", "customer_key", "channel",
    ]  # fmt: skip
    assert first["items"][2]["rejection"]["code"] == "amount_negative"
    assert first["items"][0]["customerNo"] == customer_no
    assert statuses(again) == ["UNCHANGED"]
    assert await count(db, "transaction") == 1
    sql = "SELECT kind || ' ' || amount || ' ' || channel FROM transaction"
    assert await scalar(session, sql) == "purchase 3000.00 app"


async def test_interactions(client: httpx.AsyncClient, db: Database, customer_no: str) -> None:
    rows: list[dict[str, Any]] = [
        {
            "source_key": "E1",
            "customer_key": "CB1",
            "kind": "投诉",
            "occurred_at": "2024-05-01 09:00",
            "properties": {"topic": "fees", "severity": 2},
        },
        {"source_key": "E2", "customer_key": "CB1", "kind": "login", "occurred_at": "2024-05-02"},
        {
            "source_key": "E3",
            "customer_key": "CB1",
            "kind": "login",
            "occurred_at": "2024-05-02",
            "properties": [1, 2],
        },
        {"source_key": "E4", "customer_key": "CB1", "kind": "login", "occurred_at": "someday"},
    ]
    result = data(await send(client, RECORD_INTERACTIONS, rows))

    assert statuses(result) == ["CREATED", "CREATED", "REJECTED", "REJECTED"]
    assert [i["rejection"]["code"] for i in result["items"][2:]] == [
        "properties_invalid",
        "date_invalid",
    ]
    assert await count(db, "interaction_event") == 2
