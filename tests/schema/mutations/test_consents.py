"""setConsents over HTTP."""

from __future__ import annotations

import httpx

from cdp.db.engine import AsyncWriteSession, Database
from tests.ingest.helpers import person, scalar
from tests.schema.mutations.helpers import (
    SET_CONSENTS,
    UPSERT_CUSTOMERS,
    count,
    data,
    send,
    statuses,
)


def consent(purpose: str, granted: str, when: str = "2024-05-01 10:00") -> dict[str, str]:
    return {"customer_key": "CB1", "purpose": purpose, "granted": granted, "occurred_at": when}


async def test_consents(
    client: httpx.AsyncClient, db: Database, session: AsyncWriteSession
) -> None:
    await send(client, UPSERT_CUSTOMERS, [person("CB1", "张三")])
    rows = [
        consent("营销", "同意") | {"actor": "call centre"},
        consent("画像", "N"),
        consent("marketing", "maybe"),
        consent("spam", "Y"),
    ]
    first = data(await send(client, SET_CONSENTS, rows))
    again = data(await send(client, SET_CONSENTS, rows[:1]))
    withdrawn = data(await send(client, SET_CONSENTS, [consent("营销", "撤回", "2024-06-01")]))

    assert statuses(first) == ["CREATED", "CREATED", "REJECTED", "REJECTED"]
    assert [i["rejection"]["code"] for i in first["items"][2:]] == [
        "granted_invalid",
        "enum_invalid",
    ]
    assert statuses(again) == ["UNCHANGED"]
    assert statuses(withdrawn) == ["CREATED"]
    assert await count(db, "consent_event") == 3
    granted = await scalar(session, "SELECT granted FROM consent WHERE purpose = 'marketing'")
    assert granted is False
