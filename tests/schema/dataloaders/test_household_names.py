"""A household's name is the head's name: never shown clearer than ``Customer.name``.

Built under policies the default one does not hold (a role that reads households
but sees names masked or not at all), so the assembler is called directly.
"""

from __future__ import annotations

from collections import namedtuple
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from cdp.principal import Principal
from policies.compiled import CompiledPolicy
from policies.known_fields import known_fields
from policies.lines import parse_policy
from policies.masking import masker_for
from schema import build_schema
from schema.dataloaders.assemble import households
from schema.dataloaders.lookahead import Selection
from schema.permissions import DENIED
from schema.plan_policy import PlanPolicy, PolicyRules, schema_fields

Row = namedtuple("Row", "id household_no name created_at aum complete")
ROW = Row(1, "H1", "张三丰家", datetime(2024, 1, 1, tzinfo=UTC), Decimal("1.00"), True)
BASE = """
p, viewer, Household.*, read, allow
p2, viewer, none
"""


def _context(extra: str) -> Any:
    plan = CompiledPolicy.from_lines(parse_policy(BASE + extra), known_fields()).plan(["viewer"])
    rules = PolicyRules(schema_fields(build_schema()._schema)).rules(plan)
    principal = Principal(subject="t", kind="jwt", roles=frozenset({"viewer"}))

    class Ctx:  # what ``households`` reads of a context when members are not selected
        policy = PlanPolicy(rules, principal)

    return Ctx()


def _selection(*names: str) -> Selection:
    sel = Selection()
    for name in names:
        sel.fields[name] = Selection()
    return sel


@pytest.mark.parametrize(
    ("customer_name", "expected"),
    [
        ("p, viewer, Customer.name, read, allow", "张三丰家"),
        ("p, viewer, Customer.name, read, mask", masker_for("Customer", "name")("张三丰家")),
        ("", DENIED),  # no line grants Customer.name: denied
    ],
)
async def test_the_name_follows_the_customer_name_decision(
    customer_name: str, expected: object
) -> None:
    rows: list[Any] = [ROW]  # what households reads of a row, as a named tuple
    [household] = await households(_context(customer_name), rows, _selection("name"))
    assert household.name == expected
    assert household.household_no == "H1"


async def test_an_incomplete_household_has_no_name_whatever_the_policy() -> None:
    context = _context("p, viewer, Customer.name, read, allow")
    rows: list[Any] = [ROW._replace(complete=False)]
    [household] = await households(context, rows, _selection("name"))
    name: object = household.name
    assert name is DENIED
    assert household.household_no == "H1"
