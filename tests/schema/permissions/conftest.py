"""A small world every role can look at: one customer of each kind of visibility.

``first`` is what every list shows first to a role that may see it: numbers start
with ``0`` so they sort before anything else in the database. It belongs to the
advisor ``advisor``, granted partner sharing, holds a product, is head of a
household with ``spouse`` (also the advisor's), referred ``friend``, has
activity, carries the tag ``world_cautious`` and was read by ``0-world`` (an
audit entry); ``0-world`` also sent an import run with a quarantined row. ``stranger`` belongs to
another advisor and granted nothing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import text

from cdp.db.engine import AsyncWriteSession
from cdp.db.models import Advisor, Customer, Household, TagEvent, TagValue
from cdp.ingest.quarantine import seal_payload
from policies.audit import AuditEntry
from policies.audit.writer import copy_entries
from tagging.definitions import TagSpec, create_tag, publish_tag
from tagging.segments import SegmentSpec, create_segment, publish_segment, refresh_segment
from tests.conftest import AppClient
from tests.factories import (
    create_advisor,
    create_consent,
    create_customer,
    create_holding,
    create_household,
    create_interaction,
    create_product,
    create_referral,
    create_transaction,
)
from tests.schema.conftest import Api


@dataclass
class World:
    advisor: Advisor
    other_advisor: Advisor
    first: Customer
    spouse: Customer
    friend: Customer
    stranger: Customer
    household: Household


@pytest.fixture
async def world(session: AsyncWriteSession) -> World:
    advisor = await create_advisor(session, employee_no="0A0001", name="王顾问")
    other = await create_advisor(session, employee_no="0A0002", name="李顾问")
    first = await create_customer(
        session,
        customer_no="0C0001",
        name="张三丰",
        phone="13812341234",
        email="zhang@example.com",
        id_number="110101199003074514",
        annual_income=Decimal("250000.00"),
        advisor_id=advisor.id,
        branch="上海分行",
        occupation="教师",
        risk_assessed_at=date(2020, 1, 1),
    )
    spouse = await create_customer(
        session, customer_no="0C0002", name="李四", advisor_id=advisor.id
    )
    friend = await create_customer(session, customer_no="0C0003", advisor_id=advisor.id)
    stranger = await create_customer(session, customer_no="0C0004", advisor_id=other.id)
    product = await create_product(session, code="0P0001")
    await create_holding(session, first, product, market_value=Decimal("120000.00"))
    await create_holding(session, spouse, product, market_value=Decimal("800000.00"))
    household = await create_household(
        session, [(first, "self"), (spouse, "spouse")], household_no="0H0001"
    )
    await create_referral(session, first, friend)
    await create_transaction(session, first, product)
    await create_interaction(session, first)
    for customer in (first, friend):
        await create_consent(session, customer, "partner_sharing")
    await create_consent(session, first, "marketing", granted=False)
    # A tag over the risk level (which every role reading tags reads in clear) on first.
    spec = TagSpec(
        key="world_cautious",
        name_zh="谨慎",
        name_en="cautious",
        category="risk",
        rule="risk_level >= 1",
        value_type="boolean",
    )
    await create_tag(session, spec, actor="0-world")
    tag = await publish_tag(session, spec.key)
    session.add(
        TagValue(
            tag_id=tag.id,
            customer_id=first.id,
            value=True,
            evidence={"risk_level": 3},
            version=tag.version,
            source="rule",
        )
    )
    session.add(
        TagEvent(
            tag_id=tag.id,
            customer_id=first.id,
            kind="changed",
            old_value=False,
            new_value=True,
            version=tag.version,
            run_id=1,
            actor="0-world",
        )
    )
    read = AuditEntry(
        principal="0-world",
        roles=("advisor",),
        operation="CustomerView",
        field_paths=("Customer.phone",),
        customer_ids=(first.id,),
        purpose="service",
        policy_version="v1",
        request_id="0-request",
    )
    await copy_entries(session, [read])
    # An import run of the world's own source, with one quarantined row it resolved
    # (the row stored encrypted, as ingestion stores it).
    await session.execute(
        text(
            "WITH run AS (INSERT INTO import_run (source, kind, origin, status, finished_at, "
            "counts) VALUES ('0-world', 'customers', 'world.csv', 'completed', now(), "
            '\'{"read": 2, "rejected": 1}\') RETURNING id) '
            "INSERT INTO quarantine (import_run_id, source, kind, row_number, source_key, "
            "field, reason_code, reason, payload_enc, resolved_at) SELECT id, '0-world', "
            "'customers', 2, 'W1', 'phone', 'phone_invalid', 'not a phone', "
            ":payload, now() FROM run"
        ),
        {"payload": seal_payload({"source_key": "W1"})},
    )
    # A segment every role that reads segments may count (its rule reads the customer
    # number only), refreshed once.
    rule = "customer_no = '0C0001'"
    await create_segment(session, SegmentSpec("world_segment", "World", rule), actor="0-world")
    await publish_segment(session, "world_segment")
    await refresh_segment(session, "world_segment", actor="0-world")
    return World(advisor, other, first, spouse, friend, stranger, household)


@pytest.fixture
def role_settings() -> dict[str, Any]:
    """Settings the role's app is served with (a module may serve a graph snapshot)."""
    return {}


@pytest.fixture
async def as_role(
    app_client: AppClient, world: World, role_settings: dict[str, Any]
) -> AsyncIterator[Any]:
    """``await as_role("partner")`` → an ``Api`` for that role (the advisor role is
    the world's advisor; ``sources=`` the source names a source system may send as)."""
    from contextlib import AsyncExitStack

    async with AsyncExitStack() as stack:

        async def open_api(
            *roles: str, purpose: str | None = None, sources: Sequence[str] = ()
        ) -> Api:
            advisor_id = world.advisor.id if "advisor" in roles else None
            client = await stack.enter_async_context(
                app_client(
                    roles=list(roles),
                    advisor_id=advisor_id,
                    subject=f"test-{roles[0]}",
                    claims={"sources": list(sources)},
                    rate_limit_enabled=False,
                    **role_settings,
                )
            )
            if purpose is not None:
                client.headers["x-purpose"] = purpose
            return Api(client)

        yield open_api


def dig(data: Any, path: Sequence[str | int]) -> Any:
    """The value at ``path``, ``None`` where any step is null or missing."""
    for step in path:
        if data is None:
            return None
        if isinstance(step, int):
            data = data[step] if isinstance(data, list) and len(data) > step else None
        else:
            data = data.get(step)
    return data
