"""Auditor queries over real rows: every filter, keyset pages, retention purge."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, func, select, text

from cdp.config import Settings
from cdp.db.engine import AsyncWriteSession
from cdp.db.models import AuditLog
from policies.audit import AuditCursor, AuditEntry, AuditFilter, AuditRepository
from policies.audit.repository import _conditions
from policies.audit.writer import copy_entries

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def entry(minutes: int, **changes: object) -> AuditEntry:
    values: dict[str, object] = {
        "principal": "alice",
        "roles": ("advisor",),
        "operation": "CustomerPage",
        "field_paths": ("Customer.phone",),
        "customer_ids": (1, 2),
        "purpose": None,
        "policy_version": "v1",
        "request_id": f"req-{minutes}",
        "occurred_at": T0 + timedelta(minutes=minutes),
    }
    return AuditEntry(**(values | changes))  # type: ignore[arg-type]


@pytest.fixture
async def repo(session: AsyncWriteSession) -> AuditRepository:
    # Only this test's rows: API tests commit theirs (deleted here, then rolled back).
    await session.execute(delete(AuditLog))
    await copy_entries(
        session,
        [
            entry(0),
            entry(1, principal="bob", roles=("auditor", "marketer")),
            entry(2, purpose="marketing", operation="Segment"),
            entry(3, customer_ids=(7,), field_paths=("Customer.idNumber", "Customer.phone")),
            entry(4, roles=("partner",), purpose="partner_sharing", customer_ids=(2, 7)),
        ],
    )
    return AuditRepository(session)


async def request_ids(repo: AuditRepository, f: AuditFilter) -> list[str | None]:
    return [r.request_id for r in (await repo.search(f)).rows]


@pytest.mark.parametrize(
    ("f", "expected"),
    [
        (AuditFilter(), ["req-4", "req-3", "req-2", "req-1", "req-0"]),
        (AuditFilter(principal="bob"), ["req-1"]),
        (AuditFilter(role="marketer"), ["req-1"]),  # one of several roles
        (AuditFilter(role="advisor"), ["req-3", "req-2", "req-0"]),
        (AuditFilter(role="advis"), []),  # whole role names only
        (AuditFilter(purpose="marketing"), ["req-2"]),
        (AuditFilter(operation="Segment"), ["req-2"]),
        (AuditFilter(customer_id=7), ["req-4", "req-3"]),
        (AuditFilter(customer_id=2, role="partner"), ["req-4"]),
        (AuditFilter(field_path="Customer.idNumber"), ["req-3"]),
        (
            AuditFilter(since=T0 + timedelta(minutes=1), until=T0 + timedelta(minutes=3)),
            ["req-2", "req-1"],
        ),
    ],
)
async def test_filters(repo: AuditRepository, f: AuditFilter, expected: list[str]) -> None:
    assert await request_ids(repo, f) == expected


async def test_rows_come_back_as_written(repo: AuditRepository) -> None:
    (row,) = (await repo.search(AuditFilter(principal="bob"))).rows
    assert row.roles == ("auditor", "marketer")
    assert row.occurred_at == T0 + timedelta(minutes=1)
    assert row.field_paths == ("Customer.phone",)
    assert row.customer_ids == (1, 2)
    assert row.policy_version == "v1"
    assert row.operation == "CustomerPage"


async def test_keyset_pages_cover_every_row_once_even_with_equal_times(
    session: AsyncWriteSession, repo: AuditRepository
) -> None:
    # Three more rows share one instant: the id breaks the tie.
    await copy_entries(session, [entry(2, request_id=f"same-{i}") for i in range(3)])
    seen: list[int] = []
    after: AuditCursor | None = None
    pages = 0
    while True:
        page = await repo.search(after=after, limit=3)
        seen += [r.id for r in page.rows]
        pages += 1
        if page.next is None:
            break
        after = page.next
    assert pages == 3
    assert len(seen) == len(set(seen)) == 8
    keys = [(r.occurred_at, r.id) for r in (await repo.search(limit=100)).rows]
    assert keys == sorted(keys, reverse=True)
    assert [r.id for r in (await repo.search(limit=100)).rows] == seen
    with pytest.raises(ValueError, match="limit"):
        await repo.search(limit=0)


async def test_purge_deletes_only_rows_past_retention(
    session: AsyncWriteSession, repo: AuditRepository
) -> None:
    now = T0 + timedelta(days=30)
    await copy_entries(session, [entry(-60 * 24 * 400, request_id="ancient")])
    assert await repo.purge_older_than(365, now=now) == 1
    assert await repo.purge_older_than(365, now=now) == 0
    assert await session.scalar(select(func.count()).select_from(AuditLog)) == 5
    with pytest.raises(ValueError, match="at least one day"):
        await repo.purge_older_than(0)
    # Rows from March 2025 are well past a one-day retention today.
    assert await repo.purge_expired(Settings(audit_retention_days=1)) == 5


def test_retention_setting_defaults_and_is_validated() -> None:
    assert Settings().audit_retention_days == 1825
    with pytest.raises(ValueError, match="greater than or equal to 1"):
        Settings(audit_retention_days=0)


@pytest.mark.parametrize(
    ("f", "index"),
    [
        (AuditFilter(customer_id=7), "ix_audit_log_customer_ids"),
        (AuditFilter(field_path="Customer.idNumber"), "ix_audit_log_field_paths"),
        (AuditFilter(principal="bob"), "ix_audit_log_principal_occurred_at"),
    ],
)
async def test_filters_can_use_their_index(
    session: AsyncWriteSession, repo: AuditRepository, f: AuditFilter, index: str
) -> None:
    # The planner prefers a scan on a table this small; forbidding it shows whether an
    # index can serve the condition at all (an ``= ANY`` over the array could not).
    await session.execute(text("SET LOCAL enable_seqscan = off"))
    connection = await session.connection()
    # Compiled as the repository sends it: typed parameters (``$1::BIGINT[]``).
    compiled = select(AuditLog.id).where(*_conditions(f)).compile(dialect=connection.dialect)
    params = tuple(compiled.params[name] for name in compiled.positiontup or ())
    result = await connection.exec_driver_sql(f"EXPLAIN {compiled}", params)
    plan = "\n".join(result.scalars())
    assert index in plan, plan
