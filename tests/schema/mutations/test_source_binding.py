"""Source systems send only as the sources their credential is bound to, and learn
from the answer only what they sent.

A key bound to ``crm`` that claims ``core_banking`` would take the most trusted
source's place in survivorship and overwrite a golden customer's phone, or grant
consents for another system's customers; it is refused before anything is stored.
``MERGED`` and customer numbers would tell it which ID numbers and phones belong
to existing customers; it is told ``CREATED`` and gets no number instead.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy import text

from cdp.auth.store import create_key
from cdp.db.engine import AsyncWriteSession, Database
from tests.conftest import AppClient, bearer
from tests.ingest.helpers import card, person, scalar
from tests.schema.mutations.helpers import (
    SET_CONSENTS,
    UPSERT_CUSTOMERS,
    data,
    error_code,
    fingerprint,
    for_sources,
    send,
    statuses,
)

SOURCE_CUSTOMERS = for_sources(UPSERT_CUSTOMERS)
SOURCE_CONSENTS = for_sources(SET_CONSENTS)
PHONE = "13800138000"


@asynccontextmanager
async def keyed(
    app_client: AppClient, session: AsyncWriteSession, *sources: str
) -> AsyncIterator[httpx.AsyncClient]:
    """A client authenticated with a real source-system API key bound to ``sources``."""
    _, token = await create_key(
        session, "crm-system", "source_system", datetime.now(UTC), sources=sources
    )
    await session.commit()
    async with app_client(headers=bearer(token), rate_limit_enabled=False) as client:
        yield client


async def stored(db: Database) -> dict[str, str]:
    """Every table's digest but the keys' (whose last-used time each request may move)."""
    return {t: d for t, d in (await fingerprint(db)).items() if t != "api_key"}


def sharing(customer_key: str) -> dict[str, str]:
    return {
        "customer_key": customer_key,
        "purpose": "partner_sharing",
        "granted": "Y",
        "occurred_at": "2024-05-01 10:00",
    }


async def golden_phone(session: AsyncWriteSession, customer_no: str) -> Any:
    return await scalar(
        session, "SELECT phone FROM customer WHERE customer_no = :no", no=customer_no
    )


async def test_a_key_may_not_claim_another_source(
    app_client: AppClient, client: httpx.AsyncClient, session: AsyncWriteSession, db: Database
) -> None:
    core = data(await send(client, UPSERT_CUSTOMERS, [person("CB1", "张三", phone=PHONE)]))
    customer_no = core["items"][0]["customerNo"]
    takeover = [person("CB1", "张三", phone="13900139000", updated_at="2030-01-01")]

    async with keyed(app_client, session, "crm") as crm:
        before = await stored(db)
        refused = await send(crm, SOURCE_CUSTOMERS, takeover, source="core_banking", key="k")
        consent = await send(crm, SOURCE_CONSENTS, [sharing("CB1")], source="core_banking")
        empty = await send(crm, SOURCE_CUSTOMERS, [], source="core_banking", key="k")
        assert await stored(db) == before
        own = data(await send(crm, SOURCE_CUSTOMERS, [person("CRM-1", "李四")], source="crm"))

    for body in (refused, consent, empty):
        assert body["data"] is None
        assert error_code(body) == "FORBIDDEN"
        [error] = body["errors"]
        assert "'core_banking'" in error["message"]
        assert error["extensions"]["source"] == "core_banking"
        assert error["extensions"]["allowedSources"] == ["crm"]
    assert statuses(own) == ["CREATED"]
    assert await golden_phone(session, customer_no) == PHONE


async def test_consents_only_through_a_bound_source(
    app_client: AppClient, client: httpx.AsyncClient, session: AsyncWriteSession
) -> None:
    await send(client, UPSERT_CUSTOMERS, [person("CB1", "张三", id_number=card(4))])
    async with keyed(app_client, session, "crm", "crm_backup") as crm:
        await send(
            crm, SOURCE_CUSTOMERS, [person("CRM-1", "张三", id_number=card(4))], source="crm"
        )
        granted = data(await send(crm, SOURCE_CONSENTS, [sharing("CRM-1")], source="crm"))
        other_key = data(await send(crm, SOURCE_CONSENTS, [sharing("CB1")], source="crm"))
        backup = data(await send(crm, SOURCE_CONSENTS, [sharing("CRM-1")], source="crm_backup"))

    assert statuses(granted) == ["CREATED"]
    # Customer keys are the same source's: core banking's CB1 is unknown to crm.
    assert other_key["items"][0]["rejection"]["code"] == "unknown_customer"
    assert backup["items"][0]["rejection"]["code"] == "unknown_customer"
    sources = await scalar(
        session,
        "SELECT array_agg(DISTINCT source) FROM consent_event WHERE purpose = 'partner_sharing'",
    )
    assert sources == ["crm"]


async def test_a_jwt_sends_as_the_sources_of_its_claim(app_client: AppClient) -> None:
    rows = [person("CRM-1", "李四")]
    async with app_client(roles=["source_system"], subject="no-sources") as unbound:
        none = await send(unbound, SOURCE_CUSTOMERS, [], source="crm")
    async with app_client(
        roles=["source_system"], subject="crm", claims={"sources": ["crm"]}
    ) as crm:
        own = data(await send(crm, SOURCE_CUSTOMERS, rows, source="crm"))
        other = await send(crm, SOURCE_CUSTOMERS, rows, source="core_banking")
        # Compared exactly: a spelling ingestion would fold into "crm" is another name.
        folded = await send(crm, SOURCE_CUSTOMERS, rows, source="ｃｒｍ")
    async with app_client(roles=["source_system"], claims={"sources": "crm"}) as malformed:
        rejected = await malformed.post("/graphql", json={"query": "{ __typename }"})

    assert error_code(none) == "FORBIDDEN"
    assert "bound to no source" in none["errors"][0]["message"]
    assert statuses(own) == ["CREATED"]
    assert error_code(other) == "FORBIDDEN"
    assert error_code(folded) == "FORBIDDEN"
    assert rejected.status_code == 401


async def test_administrators_send_as_any_source(client: httpx.AsyncClient) -> None:
    for source in ("core_banking", "crm", "branch_office"):
        body = await send(client, UPSERT_CUSTOMERS, [person(f"{source}-1", "王五")], source=source)
        assert statuses(data(body)) in (["CREATED"], ["MERGED"])


async def test_a_source_system_learns_no_match_and_no_customer_number(
    app_client: AppClient, client: httpx.AsyncClient, session: AsyncWriteSession
) -> None:
    known = person("CB1", "张三", id_number=card(5), phone=PHONE)
    await send(client, UPSERT_CUSTOMERS, [known])
    probe = [
        person("CRM-1", "张三", id_number=card(5)),  # the same ID number
        person("CRM-2", "张三", phone=PHONE),  # the same phone and name
        person("CRM-3", "赵六", id_number=card(6)),  # nobody
    ]
    async with keyed(app_client, session, "crm") as crm:
        answer = data(await send(crm, SOURCE_CUSTOMERS, probe, source="crm"))
        numbers = await send(crm, UPSERT_CUSTOMERS, probe, source="crm")

    assert statuses(answer) == ["CREATED", "CREATED", "CREATED"]
    assert answer["counts"] == {
        "created": 3, "updated": 0, "merged": 0, "unchanged": 0, "rejected": 0,
    }  # fmt: skip
    # Asking for customer numbers: denied, and for the matched items as for the new one.
    assert [item["customerNo"] for item in numbers["data"]["upsertCustomers"]["items"]] == [
        None,
        None,
        None,
    ]
    denied = {(tuple(e["path"]), e["extensions"]["code"]) for e in numbers["errors"]}
    assert denied == {
        (("upsertCustomers", "items", i, "customerNo"), "FORBIDDEN_FIELD") for i in range(3)
    }
    # The records were merged all the same: only the answer is withheld.
    customers = await scalar(
        session, "SELECT count(DISTINCT customer_id) FROM source_record WHERE source = 'crm'"
    )
    assert customers == 2


async def test_an_administrator_still_sees_matches(
    client: httpx.AsyncClient, session: AsyncWriteSession
) -> None:
    core = data(await send(client, UPSERT_CUSTOMERS, [person("CB1", "张三", id_number=card(7))]))
    crm = data(
        await send(
            client, UPSERT_CUSTOMERS, [person("CRM-1", "张三", id_number=card(7))], source="crm"
        )
    )
    assert statuses(crm) == ["MERGED"]
    assert crm["counts"]["merged"] == 1
    assert crm["items"][0]["customerNo"] == core["items"][0]["customerNo"]
    assert await session.scalar(text("SELECT count(*) FROM customer")) == 1
