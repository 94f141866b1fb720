"""Validation: each kind of mistake is reported with its line number."""

from __future__ import annotations

import pytest

from cdp.errors import InvalidInput
from policies.lines import read_policy
from policies.validation import Problem, lint, validate
from tests.policies.policy_text import lines

FIELDS = frozenset({"Customer.name", "Customer.phone", "Product.code"})
BASE = "p, reader, Customer.name, read, allow\n"


def problems(text: str) -> list[Problem]:
    return lint(lines(BASE + text), FIELDS)


def test_the_default_policy_is_valid(fields: frozenset[str]) -> None:
    assert lint(read_policy(), fields) == []
    validate(read_policy(), fields)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("p, r, Order.total, read, allow", "unknown type 'Order' in 'Order.total'"),
        ("p, r, Customer.salary, read, allow", "unknown field 'salary' of Customer"),
        ("p, r, *.salary, read, allow", "no type has a field 'salary'"),
        ("p, r, Order.*, read, allow", "unknown type 'Order'"),
        ("p, r, Customer, read, allow", "object 'Customer' is not Type.field"),
        ("p, r, Customer.name, delete, allow", "unknown action 'delete'"),
        ("p, r, Customer.name, read, hide", "unknown effect 'hide'"),
        ("p, r, Customer.name, filter, mask", "mask applies to read, not to 'filter'"),
        ("p, r, Customer.name, read", "a 'p' line has 4 non-empty values"),
        ("p, r, Customer.name, , allow", "a 'p' line has 4 non-empty values"),
        ("p2, r, everyone", "unknown row scope 'everyone'"),
        ("q, r, Customer.name", "unknown line kind 'q'"),
        ("g, r, readr", "unknown role 'readr': no line defines it"),
        ("p, reader, Customer.name, read, allow", "repeats line 1"),
    ],
)
def test_each_mistake_names_its_line(line: str, message: str) -> None:
    found = problems(line)
    assert [p.line for p in found] == [2]
    assert message in found[0].message


def test_wildcards_are_valid() -> None:
    assert problems("p, r, *.*, read, allow\np, r, Customer.*, filter, allow\n") == []
    assert problems("p, r, *.code, read, allow") == []


def test_inheritance_cycle() -> None:
    found = problems("g, a, reader\ng, b, a\ng, reader, b")
    cycles = [p for p in found if "cycle" in p.message]
    assert {p.line for p in cycles} == {2, 3, 4}
    assert "reader -> b -> a -> reader" in next(p.message for p in cycles if p.line == 4)


def test_self_inheritance_is_a_cycle() -> None:
    assert problems("g, reader, reader")[0].message == "role inheritance cycle: reader -> reader"


def test_inheritance_deeper_than_casbin_follows() -> None:
    chain = "\n".join(f"g, r{i + 1}, r{i}" for i in range(11))
    found = problems("g, r0, reader\n" + chain)
    assert [p.line for p in found] == [12, 13]
    assert "deeper than 10" in found[0].message


def test_validate_raises_invalid_input_with_every_problem() -> None:
    bad = lines(BASE + "p, r, Customer.salary, read, allow\ng, r, nobody")
    with pytest.raises(InvalidInput) as raised:
        validate(bad, FIELDS)
    assert "line 2: unknown field 'salary' of Customer" in raised.value.message
    assert "line 3: unknown role 'nobody'" in raised.value.message
    assert [p["line"] for p in raised.value.details["problems"]] == [2, 3]


ID_FIELDS = FIELDS | {"Customer.idNumber", "Customer.birthDate", "Customer.age"}


def _identity(text: str) -> list[str]:
    return [str(p) for p in lint(lines(text), ID_FIELDS)]


def test_a_role_masking_the_id_number_may_not_read_its_birth_date() -> None:
    found = _identity("""
        p, clerk, Customer.idNumber, read, mask
        p, clerk, Customer.birthDate, read, allow
        p, clerk, Customer.birthDate, filter, allow
        p, clerk, Customer.idNumber, filter, allow
    """)
    assert len(found) == 3
    assert all(p.startswith("line 1: role 'clerk' reads Customer.idNumber masked") for p in found)
    assert "may read Customer.birthDate (the birth date is characters 7-14" in found[0]
    assert "may filter on Customer.birthDate" in found[1]
    assert "may filter on Customer.idNumber" in found[2]


def test_inherited_and_combined_roles_are_judged_together() -> None:
    # The clerk inherits the mask; the birth date comes from a role a caller may add.
    found = _identity("""
        g, clerk, masked
        p, masked, Customer.idNumber, read, mask
        p, dates, Customer.birthDate, read, allow
    """)
    tail = (
        "together read Customer.idNumber masked but may read Customer.birthDate (the birth "
        "date is characters 7-14 of the ID number); mask or deny it wherever the ID number "
        "is masked"
    )
    assert found == [
        f"line 1: roles 'clerk' and 'dates' {tail}",
        f"line 3: roles 'dates' and 'masked' {tail}",
    ]


@pytest.mark.parametrize(
    "text",
    [
        # Masked together, age in clear: the default policy's shape.
        """
        p, clerk, Customer.idNumber, read, mask
        p, clerk, Customer.idNumber, filter, deny
        p, clerk, Customer.birthDate, read, mask
        p, clerk, Customer.birthDate, filter, deny
        p, clerk, Customer.age, read, allow
        p, dates, Customer.birthDate, read, allow
        p, dates, Customer.birthDate, filter, allow
        """,
        # The ID number denied: the birth date alone rebuilds nothing.
        """
        p, clerk, Customer.idNumber, read, deny
        p, clerk, Customer.birthDate, read, allow
        """,
        # Read in clear: there is no mask to undo.
        """
        p, clerk, Customer.idNumber, read, allow
        p, clerk, Customer.birthDate, read, allow
        """,
    ],
)
def test_consistent_identity_decisions_pass(text: str) -> None:
    assert _identity(text) == []
