"""The products, households and advisors connections."""

from __future__ import annotations

from decimal import Decimal

from cdp.db.engine import AsyncWriteSession
from tests.factories import (
    create_advisor,
    create_customer,
    create_holding,
    create_household,
    create_product,
)
from tests.schema.conftest import Api

PRODUCTS = """
query($first: Int, $after: String, $last: Int, $before: String, $categories: [String!]) {
  products(first: $first, after: $after, last: $last, before: $before,
           categories: $categories) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { code category } }
  }
}
"""


async def test_products_page_both_ways(api: Api, session: AsyncWriteSession) -> None:
    codes = [(await create_product(session, category="insurance")).code for _ in range(5)]
    first = (await api.data(PRODUCTS, first=3, categories=["insurance"]))["products"]
    assert first["totalCount"] == 5
    assert [e["node"]["code"] for e in first["edges"]] == sorted(codes)[:3]
    assert first["pageInfo"]["hasNextPage"] is True
    rest = await api.data(
        PRODUCTS, first=3, after=first["pageInfo"]["endCursor"], categories=["insurance"]
    )
    assert [e["node"]["code"] for e in rest["products"]["edges"]] == sorted(codes)[3:]
    last = (await api.data(PRODUCTS, last=2, categories=["insurance"]))["products"]
    assert [e["node"]["code"] for e in last["edges"]] == sorted(codes)[3:]
    assert last["pageInfo"]["hasPreviousPage"] is True
    before = await api.data(
        PRODUCTS, last=2, before=last["pageInfo"]["startCursor"], categories=["insurance"]
    )
    assert [e["node"]["code"] for e in before["products"]["edges"]] == sorted(codes)[1:3]


async def test_products_unknown_category_is_bad_input(api: Api) -> None:
    error = await api.error(PRODUCTS, categories=["crypto"])
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_products_page_size_limit(api: Api) -> None:
    error = await api.error(PRODUCTS, first=1000)
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


HOUSEHOLDS = """
query($first: Int, $after: String, $last: Int, $before: String) {
  households(first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor startCursor }
    nodes {
      id householdNo name aum
      members { relation customer { customerNo aum household { householdNo } } }
    }
  }
}
"""


async def test_households_with_members_and_aum(api: Api, session: AsyncWriteSession) -> None:
    product = await create_product(session)
    made = []
    for _ in range(3):
        head, child = await create_customer(session), await create_customer(session)
        await create_holding(session, head, product, market_value=Decimal(100))
        await create_holding(session, child, product, market_value=Decimal(20))
        made.append((await create_household(session, [(child, "child"), (head, "self")]), head))

    page = (await api.data(HOUSEHOLDS, first=2))["households"]
    assert page["totalCount"] == 3
    assert page["pageInfo"]["hasNextPage"] is True
    first = page["nodes"][0]
    household, head = made[0]
    assert first["householdNo"] == household.household_no
    assert Decimal(first["aum"]) == Decimal(120)
    assert [m["relation"] for m in first["members"]] == ["self", "child"]
    assert first["members"][0]["customer"]["customerNo"] == head.customer_no
    assert first["members"][0]["customer"]["household"]["householdNo"] == household.household_no

    rest = await api.data(HOUSEHOLDS, first=2, after=page["pageInfo"]["endCursor"])
    assert [n["householdNo"] for n in rest["households"]["nodes"]] == [made[2][0].household_no]
    back = (await api.data(HOUSEHOLDS, last=1))["households"]
    assert [n["householdNo"] for n in back["nodes"]] == [made[2][0].household_no]
    assert back["pageInfo"]["hasPreviousPage"] is True


ADVISORS = """
query($first: Int, $after: String, $last: Int, $before: String, $branches: [String!]) {
  advisors(first: $first, after: $after, last: $last, before: $before, branches: $branches) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { id employeeNo name branch customerCount } }
  }
}
"""


async def test_advisors_by_branch(api: Api, session: AsyncWriteSession) -> None:
    advisors = [await create_advisor(session, branch="深圳分行") for _ in range(3)]
    await create_advisor(session, branch="广州分行")
    await create_customer(session, advisor_id=advisors[0].id)
    await create_customer(session, advisor_id=advisors[0].id)

    page = (await api.data(ADVISORS, first=2, branches=["深圳分行"]))["advisors"]
    assert page["totalCount"] == 3
    assert [e["node"]["employeeNo"] for e in page["edges"]] == [a.employee_no for a in advisors[:2]]
    assert [e["node"]["customerCount"] for e in page["edges"]] == [2, 0]
    assert page["edges"][0]["node"]["branch"] == "深圳分行"
    rest = await api.data(
        ADVISORS, first=2, after=page["pageInfo"]["endCursor"], branches=["深圳分行"]
    )
    assert [e["node"]["employeeNo"] for e in rest["advisors"]["edges"]] == [advisors[2].employee_no]
    assert rest["advisors"]["pageInfo"] == {
        "hasNextPage": False,
        "hasPreviousPage": True,
        "endCursor": rest["advisors"]["edges"][0]["cursor"],
    }
    back = await api.data(ADVISORS, last=5, branches=["深圳分行"])
    assert len(back["advisors"]["edges"]) == 3
