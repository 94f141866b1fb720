"""The PostgreSQL policy store: seeded by the migration, read back, changed atomically."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from cdp.db.engine import Database
from cdp.errors import InvalidInput
from policies.holder import PolicyHolder
from policies.language import Decision
from policies.lines import PolicyLine, parse_policy, policy_version, read_policy
from policies.pg_store import PgPolicyStore, PolicyChange


def line(text_: str) -> PolicyLine:
    [parsed] = parse_policy(text_)
    return parsed


async def test_the_migration_seeds_the_default_policy(db: Database) -> None:
    store = PgPolicyStore(db)
    lines = await store.load()
    assert [str(ln) for ln in lines] == [str(ln) for ln in read_policy()]
    assert store.version == policy_version(read_policy())


async def test_changes_round_trip(db: Database, fields: frozenset[str]) -> None:
    store = PgPolicyStore(db)
    before = policy_version(await store.load())
    added = line("p, marketer, Customer.email, read, mask")
    version = await store.apply(PolicyChange(add=[added]), fields)
    assert version != before
    lines = await store.load()
    assert str(added) in {str(ln) for ln in lines}
    assert store.version == version
    back = await store.apply(PolicyChange(remove=[added]), fields)
    assert back == before


async def test_an_invalid_change_changes_nothing(db: Database, fields: frozenset[str]) -> None:
    store = PgPolicyStore(db)
    before = await store.load()
    bad = PolicyChange(
        add=[line("p, marketer, Customer.shoeSize, read, allow")],
        remove=[line("p2, admin, none")],
    )
    with pytest.raises(InvalidInput, match="shoeSize"):
        await store.apply(bad, fields)
    with pytest.raises(InvalidInput, match="not in the policy"):
        await store.apply(PolicyChange(remove=[line("g, nobody, admin")]), fields)
    assert await store.load() == before


async def test_an_unreadable_store_raises(db: Database) -> None:
    async with db.write_session() as session:
        await session.execute(text("ALTER TABLE casbin_rule RENAME TO casbin_rule_gone"))
        with pytest.raises(Exception, match="casbin_rule"):
            await PgPolicyStore(db).load()
        await session.rollback()


async def test_a_holder_on_an_unreadable_store_denies(db: Database, fields: frozenset[str]) -> None:
    holder = PolicyHolder(PgPolicyStore(db), fields)
    assert await holder.refresh()
    async with db.write_session() as session:
        await session.execute(text("ALTER TABLE casbin_rule RENAME TO casbin_rule_gone"))
        assert not await holder.refresh()
        assert holder.plan({"admin"}).decision("Customer", "name") is Decision.DENY
        await session.rollback()
    assert await holder.refresh()
