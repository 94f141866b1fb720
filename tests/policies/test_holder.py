"""The holder: recompiles on a new version only, and denies when the store fails."""

from __future__ import annotations

from collections.abc import Sequence

from cdp.errors import Unavailable
from policies.holder import NO_POLICY, PolicyHolder
from policies.language import Decision
from policies.lines import PolicyLine, read_policy
from policies.store import CasbinPolicyStore


class FlakyStore(CasbinPolicyStore):
    def __init__(self) -> None:
        super().__init__()
        self.lines: Sequence[PolicyLine] | None = read_policy()

    async def _read(self) -> Sequence[PolicyLine]:
        if self.lines is None:
            raise Unavailable("database unreachable")
        return self.lines


async def test_denies_everything_before_loading(fields: frozenset[str]) -> None:
    holder = PolicyHolder(FlakyStore(), fields)
    plan = holder.plan({"admin"})
    assert holder.version == NO_POLICY
    assert plan.decision("Customer", "name") is Decision.DENY
    assert plan.row_scopes == frozenset()
    assert plan.visible == {}


async def test_loads_then_denies_when_the_store_fails(fields: frozenset[str]) -> None:
    store = FlakyStore()
    holder = PolicyHolder(store, fields)
    assert await holder.refresh()
    compiled = holder.policy
    assert holder.plan({"admin"}).decision("Customer", "name") is Decision.ALLOW
    assert await holder.refresh()
    assert holder.policy is compiled
    store.lines = None
    assert not await holder.refresh()
    assert holder.version == NO_POLICY
    assert "unreachable" in (holder.error or "")
    assert holder.plan({"admin"}).decision("Customer", "name") is Decision.DENY
    store.lines = read_policy()
    assert await holder.refresh()
    assert holder.plan({"admin"}).decision("Customer", "name") is Decision.ALLOW


async def test_an_invalid_stored_policy_denies(fields: frozenset[str]) -> None:
    store = FlakyStore()
    store.lines = [PolicyLine(1, "p", ("admin", "Customer.shoeSize", "read", "allow"))]
    holder = PolicyHolder(store, fields)
    assert not await holder.refresh()
    assert "shoeSize" in (holder.error or "")
    assert holder.plan({"admin"}).decision("Customer", "name") is Decision.DENY
