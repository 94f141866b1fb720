"""Explanations: stored evidence, and a fresh evaluation that also says why not."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from cdp.db.engine import AsyncWriteSession, Database
from cdp.db.models import Consent, Holding
from cdp.errors import NotFound
from tagging.engine import run_tags
from tagging.explain import explain, explain_now, format_evidence
from tests.tagging.tagkit import active_tag, profiled_customer

TIERS = ("大众", "潜力", "高净值")
TIER_RULE = "case when aum >= 600万 then '高净值' when aum >= 50万 then '潜力' else '大众' end"


async def test_stored_evidence_names_values_and_branch(
    session: AsyncWriteSession, db: Database
) -> None:
    await active_tag(session, "tier", TIER_RULE, value_type="enum", enum_values=TIERS)
    customer = await profiled_customer(session, aum=6_120_000)
    report = await run_tags(db)

    why = await explain(session, customer.id, "tier")

    assert (why.has_tag, why.value, why.run_id, why.version) == (True, "高净值", report.id, 1)
    assert why.lines == ["aum = 6,120,000", "branch: when aum >= 6000000"]


async def test_explain_now_answers_why_not_and_sees_todays_data(
    session: AsyncWriteSession, db: Database
) -> None:
    await active_tag(session, "hnw", "aum >= 6000000")
    customer = await profiled_customer(session, aum=5_999_999)
    await run_tags(db)

    stored = await explain(session, customer.id, "hnw")
    now = await explain_now(session, customer.id, "hnw")
    assert (stored.has_tag, now.has_tag, now.evidence) == (False, False, {"aum": 5999999})

    await session.execute(update(Holding).values(market_value=6_000_000))
    assert (await explain_now(session, customer.id, "hnw")).has_tag is True
    await session.execute(update(Consent).values(granted=False))
    refused = await explain_now(session, customer.id, "hnw")
    assert (refused.has_tag, refused.profiled) == (False, False)


async def test_unknown_customer_or_tag(session: AsyncWriteSession) -> None:
    await active_tag(session, "hnw", "aum >= 6000000")
    customer = await profiled_customer(session)
    with pytest.raises(NotFound):
        await explain(session, 10**12, "hnw")
    with pytest.raises(NotFound):
        await explain_now(session, customer.id, "nope")


def test_format_evidence() -> None:
    assert format_evidence({"branch": "else", "x": 1.5, "y": None, "z": "M"}) == [
        "x = 1.5",
        "y = null",
        "z = M",
        "branch: else",
    ]
