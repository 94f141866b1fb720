"""Migration 0013 gives stored policies the knowledge graph's lines of the default policy."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from sqlalchemy import text

from cdp.db.migrate import downgrade, upgrade
from policies.lines import read_policy
from tests.conftest import DatabaseFactory

_PATH = Path(__file__).resolve().parents[2] / "cdp/migrations/versions/0013_graph_policy_lines.py"


def _lines() -> tuple[tuple[str, ...], ...]:
    spec = importlib.util.spec_from_file_location("m0013", _PATH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    lines: tuple[tuple[str, ...], ...] = module._LINES
    return lines


_GRAPH_TYPES = {
    "CrossSell", "Recommendation", "CrossSellReason", "NamedNumber", "Community",
    "ReferralNetwork", "ReferralNode", "ReferralLink", "TopReferrer", "Prospect", "HouseholdGap",
}  # fmt: skip
_GRAPH_FIELDS = {"graph_advice", "Customer.crossSell", "Customer.community"}


def _is_graph(line: tuple[str, ...]) -> bool:
    role, rest = line[1], line[2:]
    # The graph gave marketers reads of referral links and household insight; their
    # filter lines on the same fields come from tag authoring, not from this migration.
    marketer_read = role == "marketer" and rest[1:2] == ("read",)
    return any(
        part in _GRAPH_FIELDS
        or part.split(".")[0] in _GRAPH_TYPES
        or (marketer_read and part.startswith(("Household.", "Referral.")))
        or (marketer_read and part in {"Customer.referrals", "Customer.referredBy"})
        for part in rest
    )


def test_the_migration_adds_exactly_default_policy_lines() -> None:
    default = {(line.ptype, *line.values) for line in read_policy()}
    assert set(_lines()) == {line for line in default if _is_graph(line)}


async def test_upgrade_adds_missing_lines_once_and_downgrade_removes_them(
    database_factory: DatabaseFactory,
) -> None:
    from sqlalchemy.ext.asyncio import create_async_engine

    url = await database_factory.create()
    await upgrade(url, "0012")  # seeded from today's default: the lines are there already
    engine = create_async_engine(url)
    count = "SELECT count(*) FROM casbin_rule WHERE v0 = 'graph_advice' OR v1 = 'graph_advice'"
    try:
        async with engine.begin() as conn:
            seeded = (await conn.execute(text(count))).scalar()
        await upgrade(url)
        async with engine.begin() as conn:
            assert (await conn.execute(text(count))).scalar() == seeded  # not added twice
        await downgrade(url, "0012")
        async with engine.begin() as conn:
            assert (await conn.execute(text(count))).scalar() == 0
        await upgrade(url)
        async with engine.begin() as conn:
            assert (await conn.execute(text(count))).scalar() == seeded
    finally:
        await engine.dispose()
