"""Lists load relations in batches: statements per request do not grow with page size."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from cdp.db.engine import AsyncWriteSession
from cdp.db.models import Holding, Household, HouseholdMember, TagValue
from tagging.definitions import TagSpec, create_tag, publish_tag
from tests.factories import create_advisor, create_customers, create_product
from tests.schema.conftest import Api

BRANCH = "计数测试支行"

PAGE = """
query($first: Int!, $branch: String!) {
  customers(first: $first, filter: {branches: [$branch]}, orderBy: {field: AUM, direction: DESC}) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {
        id customerNo name age city riskLevelLabel aum tier
        holdings { marketValue product { code name category riskRating holderCount } }
        household { householdNo aum members { relation customer { customerNo aum } } }
        advisor { name customerCount }
        tags { key value }
        consents { purpose granted }
        referredBy { customer { name } }
        transactions(first: 3) { totalCount nodes { amount } }
      }
    }
  }
}
"""


@contextmanager
def count_statements(engine: AsyncEngine) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(*args: Any) -> None:
        statement: str = args[2]
        # Savepoints belong to the test's transaction, not to the request; the policy
        # holder reloads the policy on its own clock (every few seconds, and after a
        # lost connection), whatever request happens to run.
        if "SAVEPOINT" not in statement and "FROM casbin_rule" not in statement:
            statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


async def _populate(session: AsyncWriteSession) -> None:
    advisor = await create_advisor(session)
    products = [await create_product(session) for _ in range(5)]
    customers = await create_customers(session, 100, branch=BRANCH, advisor_id=advisor.id)
    households = [Household(household_no=f"TC{i:06d}", name=f"户{i}") for i in range(50)]
    session.add_all(households)
    await session.flush()
    for i, c in enumerate(customers):
        for j in range(2):
            product = products[(i + j) % len(products)]
            session.add(
                Holding(
                    customer_id=c.id,
                    product_id=product.id,
                    units=Decimal(1),
                    market_value=Decimal(1000 * (i + 1) + j),
                    cost=Decimal(1),
                    opened_at=c.onboarded_at,
                )
            )
        relation = "self" if i % 2 == 0 else "spouse"
        session.add(
            HouseholdMember(customer_id=c.id, household_id=households[i // 2].id, relation=relation)
        )
    spec = TagSpec(
        key="counted", name_zh="计数", name_en="counted", category="test", rule="aum > 0"
    )
    await create_tag(session, spec, actor="test")
    tag = await publish_tag(session, "counted")
    session.add_all(
        TagValue(tag_id=tag.id, customer_id=c.id, value=True, version=1) for c in customers
    )
    await session.flush()


async def test_statements_do_not_grow_with_page_size(
    api: Api, session: AsyncWriteSession, engine: AsyncEngine
) -> None:
    await _populate(session)

    counts = {}
    for size in (10, 100):
        with count_statements(engine) as statements:
            data = await api.data(PAGE, first=size, branch=BRANCH)
        edges = data["customers"]["edges"]
        assert len(edges) == size
        assert all(len(e["node"]["holdings"]) == 2 for e in edges)
        assert all(len(e["node"]["household"]["members"]) == 2 for e in edges)
        assert all(e["node"]["tags"] == [{"key": "counted", "value": "true"}] for e in edges)
        counts[size] = len(statements)

    assert counts[10] == counts[100]
    # page, totalCount, holdings+products, holder counts, memberships, members,
    # members' holdings… one per relation: a dozen at most, whatever the page size.
    # One statement per selected relation, plus the page and its count: 13 here
    # (the tag values carry their tags' inputs: none reads another tag).
    assert counts[100] == 13, counts


PROFILE_PAGE = """
query($first: Int!, $branch: String!) {
  customers(first: $first, filter: {branches: [$branch]}) {
    nodes {
      customerNo name gender birthDate city riskLevel aum tier
      holdings { marketValue units product { code name category riskRating } }
      tags { key value explanation }
    }
  }
}
"""


async def test_profile_holdings_and_tags_take_three_statements(
    api: Api, session: AsyncWriteSession, engine: AsyncEngine
) -> None:
    await _populate(session)
    with count_statements(engine) as statements:
        data = await api.data(PROFILE_PAGE, first=50, branch=BRANCH)
    assert len(data["customers"]["nodes"]) == 50
    # The page with its holdings, and the tag values.
    assert len(statements) == 2 + 1, statements


async def test_aum_is_summed_only_when_selected_or_sorted_by(
    api: Api, session: AsyncWriteSession, engine: AsyncEngine
) -> None:
    await _populate(session)
    plain = (
        "query($b: String!) { customers(first: 5, filter: {branches: [$b]}) { nodes { name } } }"
    )
    with count_statements(engine) as statements:
        await api.data(plain, b=BRANCH)
    assert not any("sum(" in s for s in statements), statements

    # Sorting by AUM needs the column for cursors even when no field shows it.
    by_aum = """query($b: String!, $after: String) {
      customers(first: 5, after: $after, filter: {branches: [$b]},
                orderBy: {field: AUM, direction: DESC}) {
        edges { cursor node { customerNo } }
      }
    }"""
    first = (await api.data(by_aum, b=BRANCH))["customers"]["edges"]
    second = (await api.data(by_aum, b=BRANCH, after=first[-1]["cursor"]))["customers"]["edges"]
    # _populate gives later customers larger holdings, so AUM descends with the number.
    numbers = [e["node"]["customerNo"] for e in first + second]
    assert numbers == sorted(numbers, reverse=True)
    assert len(set(numbers)) == 10
