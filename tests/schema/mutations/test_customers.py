"""upsertCustomers over HTTP: every status, rejections with codes, customer numbers."""

from __future__ import annotations

from decimal import Decimal

import httpx
from sqlalchemy import text

from cdp.db.engine import AsyncWriteSession, Database
from tests.factories import create_customer
from tests.ingest.helpers import card, person, scalar
from tests.schema.mutations.helpers import UPSERT_CUSTOMERS, count, data, send, statuses


async def test_created_unchanged_updated(client: httpx.AsyncClient, db: Database) -> None:
    row = person("CB1", "张三", id_number=card(1), phone="13800138000")

    created = data(await send(client, UPSERT_CUSTOMERS, [row]))
    again = data(await send(client, UPSERT_CUSTOMERS, [row]))
    changed = data(await send(client, UPSERT_CUSTOMERS, [row | {"email": "zs@example.org"}]))

    assert statuses(created) == ["CREATED"]
    assert statuses(again) == ["UNCHANGED"]
    assert statuses(changed) == ["UPDATED"]
    [item] = created["items"]
    assert item["sourceKey"] == "CB1"
    assert item["rejection"] is None
    assert item["customerNo"].startswith("G")
    assert (
        again["items"][0]["customerNo"] == changed["items"][0]["customerNo"] == item["customerNo"]
    )
    assert created["counts"] == {
        "created": 1, "updated": 0, "merged": 0, "unchanged": 0, "rejected": 0,
    }  # fmt: skip
    assert await count(db, "customer") == 1


async def test_merged_across_sources(client: httpx.AsyncClient) -> None:
    core = data(await send(client, UPSERT_CUSTOMERS, [person("CB1", "张三", id_number=card(2))]))
    crm = data(
        await send(
            client, UPSERT_CUSTOMERS, [person("CRM-1", "张三", id_number=card(2))], source="crm"
        )
    )
    assert statuses(crm) == ["MERGED"]
    assert crm["items"][0]["customerNo"] == core["items"][0]["customerNo"]


async def test_merged_into_an_existing_customer_reports_its_number(
    client: httpx.AsyncClient, session: AsyncWriteSession
) -> None:
    existing = await create_customer(session, name="李四", id_number=card(3))
    await session.commit()
    result = data(await send(client, UPSERT_CUSTOMERS, [person("CB9", "李四", id_number=card(3))]))
    assert statuses(result) == ["MERGED"]
    assert result["items"][0]["customerNo"] == existing.customer_no


async def test_rejected_items_have_codes_and_good_items_are_kept(
    client: httpx.AsyncClient, db: Database
) -> None:
    rows = [
        person("CB1", "王五"),
        person("CB2", "赵六", phone="12345"),
        person("CB3", "孙七", gender="X"),
        person("CB4", "周八"),
        person("CB5", "吴九", annual_income="-5万"),
    ]
    result = data(await send(client, UPSERT_CUSTOMERS, rows))

    assert statuses(result) == ["CREATED", "REJECTED", "REJECTED", "CREATED", "REJECTED"]
    assert [i["index"] for i in result["items"]] == [0, 1, 2, 3, 4]
    rejections = [i["rejection"] for i in result["items"] if i["rejection"]]
    assert [(r["field"], r["code"]) for r in rejections] == [
        ("phone", "phone_invalid"),
        ("gender", "gender_invalid"),
        ("annual_income", "amount_negative"),
    ]
    assert all(r["reason"] for r in rejections)
    assert [i["customerNo"] is None for i in result["items"]] == [False, True, True, False, True]
    assert result["counts"]["rejected"] == 3
    assert await count(db, "customer") == 2
    assert await count(db, "quarantine") == 3


async def test_values_are_normalised_as_in_files(
    client: httpx.AsyncClient, session: AsyncWriteSession
) -> None:
    row = person(
        "CB1",
        "Li   Wei",
        phone="+86 138-0013-8000",
        annual_income="12万",
        birth_date="1985年3月12日",
    )
    result = data(await send(client, UPSERT_CUSTOMERS, [row]))
    assert statuses(result) == ["CREATED"]
    no = result["items"][0]["customerNo"]
    sql = "SELECT {} FROM customer WHERE customer_no = :no"
    assert await scalar(session, sql.format("name"), no=no) == "Li Wei"
    assert await scalar(session, sql.format("phone"), no=no) == "13800138000"
    assert await scalar(session, sql.format("annual_income"), no=no) == Decimal("120000.00")
    assert str(await scalar(session, sql.format("birth_date"), no=no)) == "1985-03-12"


async def test_the_batch_is_recorded_as_a_run(
    client: httpx.AsyncClient, session: AsyncWriteSession
) -> None:
    await send(client, UPSERT_CUSTOMERS, [person("CB1", "王五"), person("CB2", "赵六", phone="1")])
    run = (
        await session.execute(
            text(
                "SELECT r.origin, r.status, r.counts, count(q.id) FROM import_run r "
                "LEFT JOIN quarantine q ON q.import_run_id = r.id GROUP BY r.id"
            )
        )
    ).one()
    assert run[0] == "api:upsertCustomers"
    assert run[1] == "completed"
    assert run[2]["created"] == 1
    assert run[2]["rejected"] == 1
    assert run[3] == 1
