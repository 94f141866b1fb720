"""Lines that change nothing: found by comparing compiled plans, explained by what decides."""

from __future__ import annotations

import pytest

from policies.lines import PolicyLine, parse_policy, read_policy
from policies.no_effect import no_effect

BASE = """
g, marketer, pii_restricted
g, marketer, catalog
p, marketer, Customer.name, read, allow
p, marketer, Customer.phone, read, mask
p2, marketer, none
p, pii_restricted, Customer.email, read, deny
p, pii_restricted, Customer.idNumber, read, deny
p, catalog, Product.*, read, allow
p, advisor, Customer.*, read, allow
p2, advisor, own_customers
"""


def _warnings(*added: str, base: str = BASE) -> list[str]:
    lines = parse_policy(base + "\n".join(added))
    new = lines[len(lines) - len(added) :]
    return [str(found) for found in no_effect(lines, new, _FIELDS)]


_FIELDS = frozenset(
    {
        "Customer.name",
        "Customer.phone",
        "Customer.email",
        "Customer.idNumber",
        "Customer.birthDate",
        "Product.code",
        "Product.name",
    }
)


def test_a_mask_under_an_inherited_deny() -> None:
    line = "p, marketer, Customer.email, read, mask"
    assert _warnings(line) == [
        f"{line} has no effect: marketer inherits a deny on Customer.email from pii_restricted"
    ]


def test_a_grant_the_role_already_has() -> None:
    line = "p, marketer, Customer.name, read, allow"
    assert _warnings(line) == [
        f"{line} has no effect: marketer already has an allow on Customer.name"
    ]
    # A weaker effect under a stronger one of the role itself.
    weaker = "p, marketer, Customer.phone, read, allow"
    assert _warnings(weaker) == [
        f"{weaker} has no effect: marketer already has a mask on Customer.phone"
    ]


def test_a_wildcard_names_every_line_that_overrides_it() -> None:
    line = "p, marketer, Customer.*, read, mask"
    # name is allowed, so masking it does change something.
    assert _warnings(line) == []
    line = "p, pii_restricted, Customer.*, read, allow"
    assert _warnings(line) == []


@pytest.mark.parametrize(
    "line",
    [
        "p, marketer, Customer.birthDate, read, allow",  # nothing granted it
        "p, marketer, Customer.name, read, mask",  # stronger than the allow
        "p, advisor, Customer.email, read, mask",
        "p2, advisor, partner_sharing_consent",
        "g, advisor, pii_restricted",  # the deny overrides the advisor's allow
    ],
)
def test_lines_with_an_effect_are_not_reported(line: str) -> None:
    assert _warnings(line) == []


def test_a_deny_restating_the_default_still_counts_in_a_role_set() -> None:
    # Alone, marketer is denied birthDate anyway; with a role that allows it, the
    # explicit deny wins. So the line has an effect for some role set.
    assert _warnings("p, marketer, Customer.birthDate, read, deny") == []
    # Unless the role already denies it explicitly.
    line = "p, marketer, Customer.idNumber, read, deny"
    assert _warnings(line) == [
        f"{line} has no effect: marketer inherits a deny on Customer.idNumber from pii_restricted"
    ]


def test_a_row_scope_under_every_row() -> None:
    assert _warnings("p2, marketer, own_customers") == [
        "p2, marketer, own_customers has no effect: marketer already has the row scope none "
        "(every row)"
    ]
    assert _warnings("p2, advisor, own_customers") == [
        "p2, advisor, own_customers has no effect: advisor already has the row scope own_customers"
    ]


def test_an_inherited_scope_is_traced_to_its_role() -> None:
    base = BASE + "g, branch_advisor, advisor\n"
    assert _warnings("p2, branch_advisor, own_customers", base=base) == [
        "p2, branch_advisor, own_customers has no effect: branch_advisor inherits the row "
        "scope own_customers from advisor"
    ]


def test_role_assignments() -> None:
    assert _warnings("g, marketer, catalog") == [
        "g, marketer, catalog has no effect: marketer already inherits from catalog"
    ]
    # catalog's only grant is already the marketer's own.
    base = BASE + "p, auditor, Product.*, read, allow\n"
    assert _warnings("g, auditor, catalog", base=base) == [
        "g, auditor, catalog has no effect: everything catalog grants auditor already has, "
        "or is overridden by what auditor has"
    ]


def test_a_line_is_judged_against_the_others_not_itself() -> None:
    lines = parse_policy(BASE)
    first = lines[2]  # p, marketer, Customer.name, read, allow
    assert str(first) == "p, marketer, Customer.name, read, allow"
    assert no_effect(lines, [first], _FIELDS) == []
    twice = [*lines, PolicyLine(99, first.ptype, first.values)]
    assert [w.line.number for w in no_effect(twice, twice, _FIELDS)] == [first.number, 99]


def test_the_default_policy_has_no_line_without_effect(fields: frozenset[str]) -> None:
    lines = read_policy()
    assert no_effect(lines, lines, fields) == []
