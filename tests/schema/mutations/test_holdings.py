"""upsertHoldings over HTTP: created, updated, unchanged, unknown customer and product."""

from __future__ import annotations

import httpx

from cdp.db.engine import AsyncWriteSession, Database
from tests.factories import create_product
from tests.ingest.helpers import person
from tests.schema.mutations.helpers import (
    UPSERT_CUSTOMERS,
    UPSERT_HOLDINGS,
    count,
    data,
    send,
    statuses,
)


def holding(product: str, customer: str = "CB1", **fields: str) -> dict[str, str]:
    row = {
        "customer_key": customer,
        "product_code": product,
        "units": "1,000",
        "market_value": "12万",
        "opened_at": "2024/1/2 10:30",
    }
    return row | fields


async def test_holdings(
    client: httpx.AsyncClient, session: AsyncWriteSession, db: Database
) -> None:
    fund = await create_product(session)
    await session.commit()
    customer = data(await send(client, UPSERT_CUSTOMERS, [person("CB1", "张三")]))
    customer_no = customer["items"][0]["customerNo"]

    first = data(
        await send(
            client,
            UPSERT_HOLDINGS,
            [
                holding(fund.code),
                holding("NO-SUCH-FUND"),
                holding(fund.code, customer="NOBODY"),
                holding(fund.code, market_value="lots"),
            ],
        )
    )
    same = data(await send(client, UPSERT_HOLDINGS, [holding(fund.code)]))
    moved = data(await send(client, UPSERT_HOLDINGS, [holding(fund.code, market_value="13万")]))

    assert statuses(first) == ["CREATED", "REJECTED", "REJECTED", "REJECTED"]
    assert [(i["rejection"] or {}).get("code") for i in first["items"]] == [
        None, "unknown_product", "unknown_customer", "amount_invalid",
    ]  # fmt: skip
    assert first["items"][1]["rejection"]["field"] == "product_code"
    assert first["items"][0]["customerNo"] == customer_no
    assert statuses(same) == ["UNCHANGED"]
    assert statuses(moved) == ["UPDATED"]
    assert await count(db, "holding") == 1
