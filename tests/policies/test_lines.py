"""Parsing policy text and versioning it."""

from __future__ import annotations

from policies.lines import PolicyLine, parse_policy, policy_version, read_policy

TEXT = """\
# a comment
p, advisor, Customer.phone, read, allow

g, advisor, customer_360
"""


def test_numbers_count_comments_and_blank_lines() -> None:
    assert parse_policy(TEXT) == [
        PolicyLine(2, "p", ("advisor", "Customer.phone", "read", "allow")),
        PolicyLine(4, "g", ("advisor", "customer_360")),
    ]
    assert str(parse_policy(TEXT)[0]) == "p, advisor, Customer.phone, read, allow"


def test_version_changes_when_a_line_changes() -> None:
    base = policy_version(parse_policy(TEXT))
    changed = TEXT.replace("read, allow", "read, mask")
    assert policy_version(parse_policy(changed)) != base
    assert policy_version(parse_policy(TEXT + "p2, advisor, own_customers\n")) != base
    assert policy_version(parse_policy(TEXT.replace("g, advisor, customer_360\n", ""))) != base


def test_version_ignores_order_comments_and_spacing() -> None:
    base = policy_version(parse_policy(TEXT))
    reordered = (
        "g,advisor,customer_360\n# another comment\np, advisor, Customer.phone, read, allow\n"
    )
    assert policy_version(parse_policy(reordered)) == base


def test_the_default_policy_has_a_stable_version() -> None:
    version = policy_version(read_policy())
    assert version == policy_version(read_policy())
    assert len(version) == 16
