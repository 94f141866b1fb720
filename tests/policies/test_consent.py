"""Consent gates: grant, withdrawal, re-grant and absence, in SQL and in memory."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import pytest
from sqlalchemy import Select, and_, select, update
from sqlalchemy.dialects.postgresql import insert

from cdp.db.engine import AsyncWriteSession
from cdp.db.enums import CONSENT_PURPOSES
from cdp.db.models import Consent, Customer
from cdp.errors import InvalidInput
from policies.consent import GATES, MARKETING, PARTNER_SHARING, PROFILING, ConsentGate, gate
from tests.factories import create_customer

# What a customer with no consent row gets (see policies.consent).
WITHOUT_ROW = {"profiling": False, "marketing": True, "partner_sharing": False}


async def set_consent(
    session: AsyncWriteSession, customer_id: int, purpose: str, granted: bool
) -> None:
    """Record a decision the way ingestion does: upsert the current state."""
    stmt = insert(Consent).values(
        customer_id=customer_id,
        purpose=purpose,
        granted=granted,
        source="app",
        updated_at=datetime.now(UTC),
    )
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[Consent.customer_id, Consent.purpose],
            set_={"granted": stmt.excluded.granted, "updated_at": stmt.excluded.updated_at},
        )
    )


async def passing(session: AsyncWriteSession, stmt: Select[int]) -> set[int]:
    return set((await session.execute(stmt)).scalars())


async def loaded(session: AsyncWriteSession, ids: Sequence[int]) -> list[Consent]:
    rows = await session.execute(select(Consent).where(Consent.customer_id.in_(ids)))
    return list(rows.scalars())


def test_one_gate_per_purpose() -> None:
    assert set(GATES) == set(CONSENT_PURPOSES)
    assert {g.purpose: g.allowed_without_row for g in GATES.values()} == WITHOUT_ROW
    assert gate("marketing") is MARKETING
    with pytest.raises(InvalidInput):
        gate("telemarketing")
    with pytest.raises(ValueError, match="unknown consent purpose"):
        ConsentGate("telemarketing", allowed_without_row=False)


@pytest.mark.parametrize("purpose", CONSENT_PURPOSES)
async def test_grant_withdraw_regrant_and_absence(session: AsyncWriteSession, purpose: str) -> None:
    g = gate(purpose)
    subject = (await create_customer(session)).id
    bystander = (await create_customer(session)).id  # never has a row for any purpose
    ids = [subject, bystander]
    stmt = select(Customer.id).where(Customer.id.in_(ids), g.predicate(Customer.id))

    async def check(expected_subject: bool) -> None:
        want = {
            cid
            for cid, ok in ((subject, expected_subject), (bystander, WITHOUT_ROW[purpose]))
            if ok
        }
        assert await passing(session, stmt) == want
        consents = await loaded(session, ids)
        assert g.allowed_ids(ids, consents) == want
        assert g.allows(subject, consents) is expected_subject

    await check(WITHOUT_ROW[purpose])  # absence
    await set_consent(session, subject, purpose, True)
    await check(True)  # grant
    # The withdrawal is written by a plain UPDATE; the very next run of the same
    # statement, and the next in-memory check, must honour it.
    await session.execute(
        update(Consent)
        .where(Consent.customer_id == subject, Consent.purpose == purpose)
        .values(granted=False)
    )
    await check(False)  # withdrawal
    await set_consent(session, subject, purpose, True)
    await check(True)  # re-grant


async def test_decisions_for_other_purposes_do_not_leak(session: AsyncWriteSession) -> None:
    customer = (await create_customer(session)).id
    await set_consent(session, customer, "profiling", True)
    await set_consent(session, customer, "marketing", False)
    consents = await loaded(session, [customer])
    assert PROFILING.allows(customer, consents)
    assert not MARKETING.allows(customer, consents)
    assert not PARTNER_SHARING.allows(customer, consents)  # granted elsewhere, absent here
    assert not PROFILING.allows(customer + 1, consents)  # another customer's rows
    # Selected columns (as the customer read path loads them) decide the same way.
    selected = (
        await session.execute(
            select(Consent.customer_id, Consent.purpose, Consent.granted).where(
                Consent.customer_id == customer
            )
        )
    ).all()
    assert [g.allows(customer, selected) for g in (PROFILING, MARKETING, PARTNER_SHARING)] == [
        True,
        False,
        False,
    ]


async def test_gates_combine_and_correlate_in_a_query_that_reads_consent(
    session: AsyncWriteSession,
) -> None:
    both, profiled_only, neither = [(await create_customer(session)).id for _ in range(3)]
    await set_consent(session, both, "profiling", True)
    await set_consent(session, both, "partner_sharing", True)
    await set_consent(session, profiled_only, "profiling", True)
    await set_consent(session, neither, "marketing", True)
    ids = [both, profiled_only, neither]

    # Combined gates on a customer query.
    stmt = select(Customer.id).where(
        Customer.id.in_(ids),
        and_(PROFILING.predicate(Customer.id), PARTNER_SHARING.predicate(Customer.id)),
    )
    assert await passing(session, stmt) == {both}

    # A query over consent itself: the gate must correlate to the outer column,
    # not be swallowed by it.
    rows = select(Consent.customer_id).where(
        Consent.customer_id.in_(ids),
        Consent.purpose == "profiling",
        PARTNER_SHARING.predicate(Consent.customer_id),
    )
    assert await passing(session, rows) == {both}
