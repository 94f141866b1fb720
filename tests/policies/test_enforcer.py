"""The Casbin model: a request names the effect it asks about."""

from __future__ import annotations

import pytest

from cdp.errors import InvalidInput
from policies.enforcer import build_enforcer
from tests.policies.policy_text import lines

POLICY = lines("""
    p, base, Customer.phone, read, deny
    p, child, Customer.*, read, allow
    p, child, Customer.phone, read, mask
    g, child, base
    p2, child, own_customers
""")


def test_each_effect_is_asked_separately() -> None:
    enforcer = build_enforcer(POLICY)
    assert enforcer.enforce("child", "Customer.phone", "read", "allow")
    assert enforcer.enforce("child", "Customer.phone", "read", "mask")
    assert enforcer.enforce("child", "Customer.phone", "read", "deny")  # inherited
    assert not enforcer.enforce("base", "Customer.phone", "read", "allow")
    assert not enforcer.enforce("child", "Customer.phone", "filter", "allow")
    assert enforcer.enforce("child", "Customer.name", "read", "allow")


def test_scopes_and_inheritance_are_in_the_model() -> None:
    enforcer = build_enforcer(POLICY)
    assert enforcer.get_implicit_roles_for_user("child") == ["base"]
    assert enforcer.get_named_policy("p2") == [["child", "own_customers"]]


def test_lines_are_checked_when_fields_are_given() -> None:
    with pytest.raises(InvalidInput, match="line 1: unknown type 'Order'"):
        build_enforcer(lines("p, a, Order.total, read, allow"), {"Customer.name"})
