"""Planned completion answers byte for byte what graphql-core answers.

Every document of the corpus goes over HTTP twice, with plans off and on, and the
response bodies (status, media type, bytes) must be equal. Documents mix plain
attributes with resolvers, aliases, fragments, directives, nested lists, nulls and
resolver errors; a few values are broken on purpose so that plans decline them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from cdp.db.engine import AsyncWriteSession
from schema.dataloaders import assemble
from schema.execution.executor import PlannedExecutor
from tests.factories import (
    create_advisor,
    create_consent,
    create_customer,
    create_holding,
    create_household,
    create_product,
    create_referral,
    create_transaction,
)
from tests.schema.execution.plan_failures import plan_failures

BRANCH = "计划测试支行"
FILTER = f'filter: {{branches: ["{BRANCH}"]}}'
PROFILE = (
    "customerNo name gender birthDate province city occupation annualIncome riskLevel "
    "riskLevelLabel riskAssessedAt riskAssessmentExpired investorClass branch onboardedAt "
    "status age aum tier"
)

CORPUS: list[tuple[str, dict[str, Any]]] = [
    (
        f"""{{ customers(first: 10, {FILTER}, orderBy: {{field: CUSTOMER_NO, direction: ASC}}) {{
          nodes {{ {PROFILE} holdings {{ marketValue units cost openedAt updatedAt
            product {{ id code name category riskRating riskRatingLabel minInvestment termDays
                       expectedYield currency status launchedAt }} }}
            tags {{ key value since explanation }} aumByCategory {{ category amount }} }} }} }}""",
        {},
    ),
    (
        f"""{{ customers(first: 10, {FILTER}) {{ totalCount
          pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }}
          edges {{ cursor node {{ __typename id a: name b: name n: customerNo
            holdings {{ __typename v: marketValue product {{ code holderCount }} }} }} }} }} }}""",
        {},
    ),
    (
        f"""fragment P on Customer {{ name tier ...Q }}
        fragment Q on Customer {{ city aum }}
        query {{ customers(first: 10, {FILTER}) {{ edges {{ node {{
          ...P ... on Customer {{ city gender }} ... on Node {{ id }} ... {{ status }}
          household {{ ... on Household {{ name members {{ relation customer {{ ...P }} }} }} }}
        }} }} }} }}""",
        {},
    ),
    (
        f"""query($x: Boolean!, $y: Boolean!) {{ customers(first: 10, {FILTER}) {{ nodes {{
          name @include(if: $x) city @skip(if: $y) name @skip(if: $y)
          ... @include(if: $x) {{ gender holdings {{ units }} }}
          ...F @skip(if: $x) }} }} }}
        fragment F on Customer {{ branch holdings {{ product {{ name }} }} }}""",
        {"x": True, "y": False},
    ),
    (
        f"""query($x: Boolean!, $y: Boolean!) {{ customers(first: 10, {FILTER}) {{ nodes {{
          name @include(if: $x) city @skip(if: $y) ...F @skip(if: $x) }} }} }}
        fragment F on Customer {{ branch holdings {{ product {{ name }} }} }}""",
        {"x": False, "y": True},
    ),
    (
        f"""{{ customers(first: 10, {FILTER}) {{ nodes {{ name householdRelation
          household {{ id householdNo name createdAt aum members {{ relation
            customer {{ name referredBy {{ channel referredAt customer {{ name }} }} }} }} }}
          referredBy {{ channel customer {{ name advisor {{ name }} }} }}
          referrals {{ referredAt customer {{ customerNo referrals {{ channel }} }} }}
          advisor {{ id employeeNo name branch customerCount }}
          consents {{ purpose granted source updatedAt }} }} }} }}""",
        {},
    ),
    (
        f"""{{ customers(first: 10, {FILTER}) {{ nodes {{ name
          transactions(first: 2) {{ totalCount edges {{ cursor node {{ kind amount channel
            occurredAt product {{ code name }} }} }} }} }} }} }}""",
        {},
    ),
    (
        """query($no: String!) { customer(customerNo: $no) { __typename name
          holdings { product { __typename code } } } }""",
        {"no": "__first__"},
    ),
    ("""{ missing: customer(customerNo: "X0") { name holdings { units } } }""", {}),
    (
        f"""{{ customers(first: 10, {FILTER}) {{ nodes {{ name
          transactions(first: 0) {{ totalCount }} }} }} }}""",
        {},
    ),
    (
        """{ products(first: 3) { nodes { code name holderCount } edges { node { code } } } }""",
        {},
    ),
]


@pytest.fixture
async def seeded(session: AsyncWriteSession) -> list[str]:
    """Three customers of one branch: holdings, a household, referrals, consents."""
    fund = await create_product(session, expected_yield=Decimal("0.035"), term_days=365)
    deposit = await create_product(session, category="deposit")
    advisor = await create_advisor(session)
    a = await create_customer(session, branch=BRANCH, advisor_id=advisor.id)
    b = await create_customer(session, branch=BRANCH, birth_date=None, gender=None)
    c = await create_customer(session, branch=BRANCH, risk_assessed_at=date(2020, 1, 1))
    await create_holding(session, a, fund, market_value=Decimal("250000.00"))
    await create_holding(session, a, deposit)
    await create_holding(session, c, deposit, market_value=Decimal("5.5"))
    await create_household(session, [(a, "self"), (b, "spouse")])
    await create_referral(session, a, b)
    await create_referral(session, a, c, channel="app")
    await create_consent(session, a, "marketing")
    await create_transaction(session, a, fund)
    await create_transaction(session, a)
    return [a.customer_no, b.customer_no, c.customer_no]


async def _both(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any]
) -> tuple[bytes, bytes]:
    async def once(enabled: bool) -> bytes:
        PlannedExecutor.enabled = enabled
        try:
            r = await client.post(
                "/graphql",
                json={"query": query, "variables": variables},
                headers={"x-request-id": "differential"},
            )
        finally:
            PlannedExecutor.enabled = True
        return f"{r.status_code} {r.headers['content-type']}\n".encode() + r.content

    return await once(False), await once(True)


def _unplanned(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records each object graphql-core completes field by field (no plan took it)."""
    seen: list[str] = []
    original = StrawberryGraphQLCoreExecutionContext.complete_object_value

    def spy(self: Any, return_type: Any, *args: Any) -> Any:
        seen.append(return_type.name)
        return original(self, return_type, *args)

    monkeypatch.setattr(StrawberryGraphQLCoreExecutionContext, "complete_object_value", spy)
    return seen


@pytest.mark.parametrize("index", range(len(CORPUS)))
async def test_corpus(client: httpx.AsyncClient, seeded: list[str], index: int) -> None:
    query, variables = CORPUS[index]
    variables = {k: seeded[0] if v == "__first__" else v for k, v in variables.items()}
    reference, planned = await _both(client, query, variables)
    assert planned == reference
    assert b'"data"' in planned


async def test_the_benchmark_document_is_planned_whole(
    client: httpx.AsyncClient, seeded: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    unplanned = _unplanned(monkeypatch)
    reference, planned = await _both(client, CORPUS[0][0], {})
    assert planned == reference
    # Plans off, graphql-core completed the connection, customers, holdings, products.
    assert {"Connection", "CustomerConnection", "Customer", "Holding", "Product"} & set(unplanned)
    unplanned.clear()
    again = await client.post("/graphql", json={"query": CORPUS[0][0]})
    assert again.json() == json.loads(reference.split(b"\n", 1)[1])
    # Plans on (and shared with the request before): the connection's plan took it all.
    assert unplanned == []


DIRECTIVES = f"""query($x: Boolean!) {{ customers(first: 10, {FILTER}) {{ nodes {{
  name @include(if: $x) ... @skip(if: $x) {{ city holdings {{ units }} }} }} }} }}"""


async def test_plans_depending_on_variables_are_not_shared(
    client: httpx.AsyncClient, seeded: list[str]
) -> None:
    """The same document with other variables collects other fields."""
    for x in (True, False, True):
        reference, planned = await _both(client, DIRECTIVES, {"x": x})
        assert planned == reference
        assert (b'"name"' in planned) is x


BREAKAGES: dict[str, Callable[[Any], Any]] = {
    # A null where the schema promises a value: non-null propagation.
    "global_id": lambda *args: None,
    # A value the enum does not know: the scalar refuses it.
    "tier_for": lambda *args: "NOT_A_TIER",
    # A nullable field whose scalar refuses the value: null plus an error.
    "age_on": lambda *args: "not a number",
}


@pytest.mark.parametrize("name", sorted(BREAKAGES))
async def test_declined_values_report_the_same_errors(
    client: httpx.AsyncClient, seeded: list[str], monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setattr(assemble, name, BREAKAGES[name])
    query = f"{{ customers(first: 10, {FILTER}) {{ nodes {{ id name tier age }} }} }}"
    failures = plan_failures()
    reference, planned = await _both(client, query, {})
    assert planned == reference
    assert b'"errors"' in planned
    # A declined value is the plan working as designed, not a failure.
    assert plan_failures() == failures
