"""Segment exports through the permission layer, against PostgreSQL."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from cdp.db.engine import AsyncWriteSession
from cdp.db.models import AuditLog
from cdp.errors import Conflict, ForbiddenField, InvalidInput
from cdp.exports import ExportRequest, export_segment, render, write_private
from cdp.principal import Principal
from policies.compiled import CompiledPolicy
from policies.known_fields import known_fields
from policies.lines import read_policy
from policies.masking import mask_name, mask_phone
from tagging.segments import SegmentSpec, create_segment, publish_segment, refresh_segment
from tests.factories import create_advisor, create_consent
from tests.tagging.tagkit import profiled_customer

POLICY = CompiledPolicy.from_lines(read_policy(), known_fields())


def who(role: str, advisor_id: int | None = None) -> Principal:
    return Principal(f"{role}-1", "jwt", frozenset({role}), advisor_id=advisor_id)


async def rich_segment(session: AsyncWriteSession) -> None:
    await create_segment(session, SegmentSpec("rich", "Rich", "aum >= 600万"), actor="t")
    await publish_segment(session, "rich")
    await refresh_segment(session, "rich", actor="t")


async def audit_rows(session: AsyncWriteSession) -> list[AuditLog]:
    rows = await session.scalars(
        select(AuditLog).where(AuditLog.operation.like("exportSegment:%")).order_by(AuditLog.id)
    )
    return list(rows)


async def test_masked_stays_masked_consent_is_required_and_the_export_is_audited(
    session: AsyncWriteSession,
) -> None:
    kept = await profiled_customer(
        session, aum=7_000_000, name="张三丰", phone="+8613812345678", city="上海市"
    )
    opted_out = await profiled_customer(session, aum=8_000_000)
    await create_consent(session, opted_out, "marketing", granted=False)
    await profiled_customer(session, aum=10)
    await rich_segment(session)

    fields = ("customerNo", "name", "phone", "city", "aum")
    done = await export_segment(
        session, POLICY.plan({"marketer"}), who("marketer"), ExportRequest("rich", fields)
    )
    assert (done.members_in_scope, done.without_consent) == (2, 1)
    assert done.customer_ids == [kept.id]
    [row] = done.rows
    assert row["customerNo"] == kept.customer_no
    assert row["city"] == "上海市"
    assert row["phone"] == mask_phone("+8613812345678") != "+8613812345678"
    assert row["name"] == mask_name("张三丰") != "张三丰"
    assert row["aum"] == "7000000.00"

    [entry] = await audit_rows(session)
    assert entry.operation == "exportSegment:rich"
    assert entry.principal == "marketer-1"
    assert entry.purpose == "marketing"
    assert sorted(entry.field_paths) == sorted(f"Customer.{f}" for f in fields)
    assert entry.customer_ids == [kept.id]

    # Another purpose uses its own gate: the marketing opt-out does not apply.
    profiled = await export_segment(
        session,
        POLICY.plan({"admin"}),
        who("admin"),
        ExportRequest("rich", ("customerNo",), purpose="profiling"),
    )
    assert profiled.customer_ids == sorted([kept.id, opted_out.id])


async def test_denied_fields_are_refused_by_name_and_nothing_is_exported(
    session: AsyncWriteSession,
) -> None:
    await profiled_customer(session, aum=7_000_000)
    await rich_segment(session)
    with pytest.raises(ForbiddenField) as refused:
        await export_segment(
            session,
            POLICY.plan({"marketer"}),
            who("marketer"),
            ExportRequest("rich", ("customerNo", "email", "idNumber")),
        )
    assert refused.value.code == "FORBIDDEN_FIELD"
    assert refused.value.details["fields"] == ["Customer.email", "Customer.idNumber"]
    assert await audit_rows(session) == []
    with pytest.raises(InvalidInput):
        await export_segment(
            session, POLICY.plan({"admin"}), who("admin"), ExportRequest("rich", ("password",))
        )
    with pytest.raises(InvalidInput):
        await export_segment(
            session,
            POLICY.plan({"admin"}),
            who("admin"),
            ExportRequest("rich", ("customerNo",), purpose="gossip"),
        )


async def test_row_scope_applies_and_pages_follow_the_cursor(
    session: AsyncWriteSession,
) -> None:
    advisor = await create_advisor(session)
    mine = [
        await profiled_customer(session, aum=7_000_000, advisor_id=advisor.id) for _ in range(3)
    ]
    await profiled_customer(session, aum=7_000_000)
    await rich_segment(session)
    plan = POLICY.plan({"advisor"})
    first = await export_segment(
        session, plan, who("advisor", advisor.id), ExportRequest("rich", ("customerNo",), limit=2)
    )
    assert first.members_in_scope == 3
    assert first.customer_ids == sorted(c.id for c in mine)[:2]
    assert first.next_after == first.customer_ids[-1]
    rest = await export_segment(
        session,
        plan,
        who("advisor", advisor.id),
        ExportRequest("rich", ("customerNo",), limit=2, after=first.next_after),
    )
    assert rest.customer_ids == sorted(c.id for c in mine)[2:]
    assert rest.next_after is None
    other = await create_advisor(session)
    nobody = await export_segment(
        session, plan, who("advisor", other.id), ExportRequest("rich", ("customerNo",))
    )
    assert (nobody.members_in_scope, nobody.rows) == (0, [])


async def test_only_active_segments_export(session: AsyncWriteSession) -> None:
    await create_segment(session, SegmentSpec("draft_one", "D", "aum > 1"), actor="t")
    with pytest.raises(Conflict):
        await export_segment(
            session, POLICY.plan({"admin"}), who("admin"), ExportRequest("draft_one", ("city",))
        )


def test_csv_and_json_lines_files_are_owner_only(tmp_path: Path) -> None:
    rows: list[dict[str, Any]] = [
        {"customerNo": "C1", "city": "上海市"},
        {"customerNo": "C2", "city": None},
    ]
    csv_text = render(("customerNo", "city"), rows, "csv")
    assert csv_text == "customerNo,city\nC1,上海市\nC2,\n"
    lines = render(("customerNo", "city"), rows, "jsonl").splitlines()
    assert [json.loads(line) for line in lines] == rows
    with pytest.raises(InvalidInput):
        render(("city",), rows, "xlsx")
    target = tmp_path / "out.csv"
    target.write_text("old")
    target.chmod(0o644)
    write_private(target, csv_text)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text(encoding="utf-8") == csv_text
