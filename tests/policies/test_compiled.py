"""Compiled plans: precedence, inheritance, wildcards, row scopes, and no Casbin at
decision time."""

from __future__ import annotations

from typing import Any

import pytest

from policies.compiled import CompiledPolicy
from policies.language import Decision
from policies.lines import read_policy
from tests.policies.policy_text import lines

A, M, D = Decision.ALLOW, Decision.MASK, Decision.DENY
FIELDS = frozenset(
    {"Customer.name", "Customer.phone", "Customer.city", "Product.code", "Product.name"}
)


def compiled(text: str) -> CompiledPolicy:
    return CompiledPolicy.from_lines(lines(text), FIELDS)


def test_deny_in_a_parent_overrides_allow_in_the_child() -> None:
    policy = compiled("""
        p, base, Customer.phone, read, deny
        g, child, base
        p, child, Customer.*, read, allow
    """)
    assert policy.decision(["child"], "Customer", "phone", "read") is D
    assert policy.decision(["child"], "Customer", "name", "read") is A


def test_deny_over_mask_over_allow() -> None:
    policy = compiled("""
        p, a, Customer.*, read, allow
        p, b, Customer.*, read, mask
        p, c, Customer.name, read, deny
    """)
    assert policy.decision(["a"], "Customer", "name", "read") is A
    assert policy.decision(["a", "b"], "Customer", "name", "read") is M
    assert policy.decision(["a", "b", "c"], "Customer", "name", "read") is D
    assert policy.decision(["a", "b", "c"], "Customer", "city", "read") is M


def test_absence_is_deny() -> None:
    policy = compiled("p, a, Customer.name, read, allow")
    assert policy.decision(["a"], "Customer", "city", "read") is D
    assert policy.decision(["a"], "Customer", "name", "filter") is D
    assert policy.decision(["nobody"], "Customer", "name", "read") is D
    assert policy.decision(["a"], "Customer", "notAField", "read") is D
    assert policy.decision([], "Customer", "name", "read") is D


def test_wildcards() -> None:
    policy = compiled("""
        p, all, *.*, read, allow
        p, customers, Customer.*, read, allow
        p, names, *.name, read, allow
    """)
    assert all(
        policy.decision(["all"], t, f, "read") is A for t, f in (name.split(".") for name in FIELDS)
    )
    assert policy.decision(["customers"], "Customer", "phone", "read") is A
    assert policy.decision(["customers"], "Product", "code", "read") is D
    assert policy.decision(["names"], "Customer", "name", "read") is A
    assert policy.decision(["names"], "Product", "name", "read") is A
    assert policy.decision(["names"], "Customer", "phone", "read") is D


def test_actions_are_separate() -> None:
    policy = compiled("""
        p, a, Customer.name, read, allow
        p, a, Customer.city, filter, allow
        p, a, Customer.phone, write, allow
    """)
    plan = policy.plan(["a"])
    assert plan.visible["Customer"] == {"name"}
    assert plan.filterable["Customer"] == {"city"}
    assert plan.writable["Customer"] == {"phone"}


def test_row_scopes_are_inherited_and_united() -> None:
    policy = compiled("""
        p2, advisor, own_customers
        p2, partner, partner_sharing_consent
        p2, admin, none
        g, senior, advisor
        p, reader, Customer.name, read, allow
    """)
    assert policy.row_scopes(["senior"]) == {"own_customers"}
    assert policy.row_scopes(["advisor", "partner"]) == {
        "own_customers",
        "partner_sharing_consent",
    }
    assert policy.row_scopes(["advisor", "admin"]) == {"none"}
    assert policy.row_scopes(["reader"]) == frozenset()


def test_plans_name_the_masking_function_and_what_is_visible() -> None:
    policy = compiled("""
        p, m, Customer.name, read, mask
        p, m, Customer.phone, read, mask
        p, m, Customer.city, read, allow
    """)
    plan = policy.plan(["m"])
    maskers = plan.maskers["Customer"]
    assert set(maskers) == {"name", "phone"}
    assert maskers["name"]("张三丰") == "张**"
    assert maskers["phone"]("13800001234") == "138****1234"
    assert plan.visible["Customer"] == {"name", "phone", "city"}


def test_plans_are_cached_per_role_set() -> None:
    policy = compiled("p, a, Customer.name, read, allow")
    assert policy.plan(["a"]) is policy.plan(frozenset({"a"}))
    assert policy.plan(["a", "b"]) is not policy.plan(["a"])
    assert policy.plan(["a"]).version == policy.version


def test_decisions_never_ask_the_enforcer(
    fields: frozenset[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    policy = CompiledPolicy.from_lines(read_policy(), fields)
    calls = 0
    enforcer = policy.enforcer
    for name in ("enforce", "enforce_ex", "get_named_implicit_permissions_for_user"):
        original = getattr(enforcer, name)

        def counting(*args: Any, _original: Any = original) -> Any:
            nonlocal calls
            calls += 1
            return _original(*args)

        monkeypatch.setattr(enforcer, name, counting)
    roles = frozenset({"marketer"})
    policy.plan(roles)  # compiled once, by the first request with these roles
    warm = calls
    assert warm > 0
    names = sorted(f"{t}.{f}" for t, type_fields in policy.types.items() for f in type_fields)
    for i in range(10_000):
        type_name, field = names[i % len(names)].split(".")
        policy.decision(roles, type_name, field, ("read", "filter", "write")[i % 3])
    assert calls == warm


@pytest.mark.parametrize("role", ["advisor", "marketer", "partner"])
def test_compiled_agrees_with_casbin(default_policy: CompiledPolicy, role: str) -> None:
    """The compiler folds the same lines Casbin matches; ask Casbin directly for Customer."""
    enforcer = default_policy.enforcer
    for field in sorted(default_policy.types["Customer"]):
        for action in ("read", "filter"):
            applies = {
                d for d in Decision if enforcer.enforce(role, f"Customer.{field}", action, d.value)
            }
            casbin = next((d for d in (D, M, A) if d in applies), D)
            assert default_policy.decision([role], "Customer", field, action) is casbin, field
