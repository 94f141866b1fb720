from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import TextClause, text

from cdp.db.engine import AsyncWriteSession
from cdp.ingest import ingest_batch
from tests.ingest.helpers import card, person, scalar


async def _run(session: AsyncWriteSession, source: str, *rows: dict[str, object]) -> list[str]:
    result = await ingest_batch(session, source=source, kind="customers", rows=list(rows))
    return [i.status for i in result.items]


async def test_new_records_create_customers_numbered_g(session: AsyncWriteSession) -> None:
    result = await ingest_batch(
        session, source="core_banking", kind="customers", rows=[person("A", "张三")]
    )
    (item,) = result.items
    assert item.status == "created"
    no = await scalar(session, "SELECT customer_no FROM customer WHERE id = :i", i=item.customer_id)
    assert no == f"G{item.customer_id:010d}"


async def test_merge_by_id_number(session: AsyncWriteSession) -> None:
    await _run(session, "core_banking", person("A", "张三", id_number=card(1)))
    result = await ingest_batch(
        session, source="crm", kind="customers", rows=[person("B", "张叁", id_number=card(1))]
    )
    assert (result.items[0].status, result.items[0].rule) == ("merged", "id_number")
    assert await scalar(session, "SELECT count(*) FROM identity_merge") == 1


async def test_merge_by_phone_and_name(session: AsyncWriteSession) -> None:
    await _run(session, "core_banking", person("A", "李四", phone="13900139000"))
    result = await ingest_batch(
        session,
        source="crm",
        kind="customers",
        rows=[person("B", "李 四", phone="+86 139-0013-9000")],
    )
    assert (result.items[0].status, result.items[0].rule) == ("merged", "phone_name")


async def test_landline_and_name_merge_like_a_mobile(session: AsyncWriteSession) -> None:
    await _run(session, "core_banking", person("A", "周敏", phone="021-68881234"))
    result = await ingest_batch(
        session,
        source="crm",
        kind="customers",
        rows=[person("B", "周 敏", phone="+86 21 6888 1234")],
    )
    assert (result.items[0].status, result.items[0].rule) == ("merged", "phone_name")
    assert await scalar(session, "SELECT phone FROM customer") == "02168881234"


async def test_shared_landline_is_a_switchboard(session: AsyncWriteSession) -> None:
    rows = [person(f"S{i}", f"客户{'甲乙丙丁戊己庚'[i]}", phone="(0755)86001234") for i in range(7)]
    await _run(session, "core_banking", *rows)
    result = await ingest_batch(
        session, source="crm", kind="customers", rows=[person("X", "客户甲", phone="075586001234")]
    )
    assert result.items[0].status == "created"
    assert result.switchboards == {"0755****1234"}


async def test_merge_by_email_and_name(session: AsyncWriteSession) -> None:
    await _run(session, "core_banking", person("A", "Wang Wu", email="ww@example.com"))
    result = await ingest_batch(
        session,
        source="crm",
        kind="customers",
        rows=[person("B", "WANG WU", email="WW@example.com")],
    )
    assert (result.items[0].status, result.items[0].rule) == ("merged", "email_name")


async def test_phone_and_name_with_different_birth_dates_do_not_merge(
    session: AsyncWriteSession,
) -> None:
    statuses = await _run(
        session,
        "crm",
        person("A", "王芳", phone="13700137000", birth_date="1960-01-01"),
        person("B", "王芳", phone="13700137000", birth_date="1990-01-01"),
    )
    assert statuses == ["created", "created"]


async def test_same_batch_duplicates_merge_into_one_new_customer(
    session: AsyncWriteSession,
) -> None:
    result = await ingest_batch(
        session,
        source="crm",
        kind="customers",
        rows=[person("A", "赵六", id_number=card(2)), person("B", "赵六", id_number=card(2))],
    )
    assert [i.status for i in result.items] == ["created", "merged"]
    assert result.items[0].customer_id == result.items[1].customer_id


async def test_switchboard_phone_is_not_matched_on(session: AsyncWriteSession) -> None:
    rows = [person(f"S{i}", f"客户{'甲乙丙丁戊己庚'[i]}", phone="13600136000") for i in range(7)]
    await _run(session, "core_banking", *rows)
    result = await ingest_batch(
        session, source="crm", kind="customers", rows=[person("X", "客户甲", phone="13600136000")]
    )
    assert result.items[0].status == "created"
    assert result.switchboards == {"136****6000"}


async def test_survivorship_prefers_trust_then_recency(session: AsyncWriteSession) -> None:
    core = person("A", "张三", id_number=card(3), occupation="教师", updated_at="2024-01-01")
    await _run(session, "core_banking", core)
    crm = person(
        "B",
        "张三",
        id_number=card(3),
        occupation="医生",
        email="z@example.com",
        updated_at="2024-09-01",
    )
    await _run(session, "crm", crm)
    row = (await session.execute(_golden())).one()
    assert (row.occupation, row.email) == ("教师", "z@example.com")  # trust wins, gaps filled
    newer = person("C", "张三", id_number=card(3), occupation="律师", updated_at="2024-10-01")
    await _run(session, "core_banking", newer)
    assert (await session.execute(_golden())).one().occupation == "律师"  # recency among equals


def _golden() -> TextClause:
    return text("SELECT occupation, email FROM customer ORDER BY id DESC LIMIT 1")


async def test_rerun_is_unchanged_and_changes_update(session: AsyncWriteSession) -> None:
    rows = [person("A", "张三", phone="13800138000")]
    assert await _run(session, "core_banking", *rows) == ["created"]
    assert await _run(session, "core_banking", *rows) == ["unchanged"]
    rows[0]["city"] = "杭州市"
    assert await _run(session, "core_banking", *rows) == ["updated"]
    assert await scalar(session, "SELECT city FROM customer") == "杭州市"


async def test_birth_date_and_gender_filled_from_id(session: AsyncWriteSession) -> None:
    await _run(session, "core_banking", person("A", "张三", id_number=card(4, date(1970, 5, 5))))
    assert await scalar(session, "SELECT birth_date FROM customer") == date(1970, 5, 5)
    assert await scalar(session, "SELECT gender FROM customer") == "M"


async def test_id_number_is_encrypted_at_rest(session: AsyncWriteSession) -> None:
    await _run(session, "core_banking", person("A", "张三", id_number=card(5)))
    enc = await scalar(session, "SELECT id_number_enc FROM customer")
    payload = await scalar(session, "SELECT payload::text FROM source_record")
    assert card(5).encode() not in enc
    assert card(5) not in payload


@pytest.mark.parametrize(
    ("row", "field", "code"),
    [
        ({"name": "张三"}, "source_key", "required"),
        ({"source_key": "A"}, "name", "required"),
        ({"source_key": "A", "name": "张三", "gender": "X"}, "gender", "gender_invalid"),
        ({"source_key": "A", "name": "张三", "phone": "123"}, "phone", "phone_invalid"),
        (
            {"source_key": "A", "name": "张三", "birth_date": "2999-01-01"},
            "birth_date",
            "date_out_of_range",
        ),
        (
            {"source_key": "A", "name": "张三", "annual_income": "-1"},
            "annual_income",
            "amount_negative",
        ),
        (
            {"source_key": "A", "name": "张三", "risk_level": "C9"},
            "risk_level",
            "risk_level_invalid",
        ),
    ],
)
async def test_rejections_are_reported_and_quarantined(
    session: AsyncWriteSession, row: dict[str, object], field: str, code: str
) -> None:
    result = await ingest_batch(session, source="crm", kind="customers", rows=[row])
    (item,) = result.items
    assert (item.status, item.field, item.code) == ("rejected", field, code)
    assert await scalar(session, "SELECT reason_code FROM quarantine") == code


async def test_every_problem_of_a_row_is_reported(session: AsyncWriteSession) -> None:
    row = {
        "source_key": "A", "name": "张三", "phone": "123", "email": "not-an-address",
        "annual_income": "-5", "risk_level": "C9",
    }  # fmt: skip
    result = await ingest_batch(session, source="crm", kind="customers", rows=[row])
    (item,) = result.items
    assert (item.status, item.field, item.code) == ("rejected", "phone", "phone_invalid")
    assert item.reason is not None
    problems = [p.split(":", 1)[0] for p in item.reason.split("; ")]
    assert problems == [
        "phone (phone_invalid)", "email (email_invalid)",
        "annual_income (amount_negative)", "risk_level (risk_level_invalid)",
    ]  # fmt: skip
    assert await scalar(session, "SELECT reason FROM quarantine") == item.reason


async def test_duplicate_key_in_batch_keeps_the_later_row(session: AsyncWriteSession) -> None:
    result = await ingest_batch(
        session,
        source="crm",
        kind="customers",
        rows=[person("A", "张三"), person("A", "张三丰")],
    )
    assert [i.code for i in result.items] == ["duplicate_in_batch", None]
    assert await scalar(session, "SELECT name FROM customer") == "张三丰"
