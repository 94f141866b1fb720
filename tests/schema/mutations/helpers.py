"""GraphQL documents and helpers shared by the mutation tests."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import text

from cdp.db.engine import Database

RESULT = """
items { index status sourceKey customerNo rejection { field code reason } }
counts { created updated merged unchanged rejected }
"""


def document(mutation: str, items_arg: str, input_type: str) -> str:
    return f"""
mutation($source: String!, $items: [{input_type}!]!, $key: String) {{
  {mutation}(source: $source, {items_arg}: $items, idempotencyKey: $key) {{ {RESULT} }}
}}
"""


UPSERT_CUSTOMERS = document("upsertCustomers", "customers", "CustomerInput")
UPSERT_HOLDINGS = document("upsertHoldings", "holdings", "HoldingInput")
RECORD_TRANSACTIONS = document("recordTransactions", "transactions", "TransactionInput")
RECORD_INTERACTIONS = document("recordInteractions", "interactions", "InteractionInput")
SET_CONSENTS = document("setConsents", "consents", "ConsentInput")


def for_sources(document: str) -> str:
    """``document`` without customer numbers, which source systems may not read."""
    return document.replace(" customerNo", "")


def camel(row: dict[str, Any]) -> dict[str, Any]:
    """An import row (snake_case columns) as a GraphQL input object."""

    def one(name: str) -> str:
        head, *rest = name.split("_")
        return head + "".join(part.title() for part in rest)

    return {one(k): v for k, v in row.items()}


async def send(
    client: httpx.AsyncClient,
    query: str,
    items: list[dict[str, Any]],
    *,
    source: str = "core_banking",
    key: str | None = None,
) -> dict[str, Any]:
    variables = {"source": source, "items": [camel(i) for i in items], "key": key}
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    body: dict[str, Any] = response.json()
    return body


def data(body: dict[str, Any]) -> dict[str, Any]:
    """The one mutation's result; fails with the errors when there are any."""
    assert "errors" not in body, body["errors"]
    [result] = body["data"].values()
    assert isinstance(result, dict)
    return result


def statuses(result: dict[str, Any]) -> list[str]:
    return [item["status"] for item in result["items"]]


def error_code(body: dict[str, Any]) -> str:
    [error] = body["errors"]
    code: str = error["extensions"]["code"]
    return code


async def count(db: Database, table: str) -> int:
    async with db.read_session() as session:
        return int((await session.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one())


async def fingerprint(db: Database) -> dict[str, str]:
    """A digest of every table's contents: any row written, changed or removed shows."""
    async with db.read_session() as session:
        tables = (
            await session.execute(
                text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                    "AND tablename <> 'alembic_version' ORDER BY tablename"
                )
            )
        ).scalars()
        union = " UNION ALL ".join(
            f"SELECT '{t}', md5(coalesce(string_agg(r::text, ',' ORDER BY r::text), '')) "
            f'FROM "{t}" r'
            for t in tables
        )
        return {str(t): str(d) for t, d in (await session.execute(text(union))).all()}
