"""referralNetwork, topReferrers, prospects, Customer.community and household insight
over GraphQL, per role: what each shows inside and outside the caller's row scope."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from cdp.db.engine import AsyncWriteSession
from tests.factories import (
    create_advisor,
    create_customer,
    create_holding,
    create_household,
    create_product,
    create_referral,
)
from tests.schema.graph.conftest import GraphClient, codes, gql

NETWORK = """
query($no: String!, $depth: Int = 3) {
  referralNetwork(customerNo: $no, depth: $depth) {
    nodes { depth customer { customerNo } }
    edges { source target }
    totalAum
  }
}
"""


async def _chain(session: AsyncWriteSession) -> dict[str, Any]:
    """root (mine) → middle (another advisor's) → leaf (mine); root → side (mine)."""
    mine, theirs = await create_advisor(session), await create_advisor(session)
    fund = await create_product(session)
    root = await create_customer(session, advisor_id=mine.id)
    middle = await create_customer(session, advisor_id=theirs.id)
    leaf = await create_customer(session, advisor_id=mine.id)
    side = await create_customer(session, advisor_id=mine.id)
    await create_referral(session, root, middle)
    await create_referral(session, middle, leaf)
    await create_referral(session, root, side)
    for c, value in ((middle, "7000000"), (leaf, "100"), (side, "200")):
        await create_holding(session, c, fund, market_value=Decimal(value))
    return {"mine": mine, "root": root, "middle": middle, "leaf": leaf, "side": side}


def _numbers(body: dict[str, Any]) -> list[str]:
    assert "errors" not in body, body["errors"]
    return [n["customer"]["customerNo"] for n in body["data"]["referralNetwork"]["nodes"]]


async def test_referral_network_stays_inside_the_row_scope(
    graph_client: GraphClient, build_graph: Any, session: AsyncWriteSession
) -> None:
    c = await _chain(session)
    await build_graph()
    no = c["root"].customer_no
    async with graph_client() as client:
        admin = await gql(client, NETWORK, no=no)
        shallow = await gql(client, NETWORK, no=no, depth=1)
        too_deep = await gql(client, NETWORK, no=no, depth=4)
    async with graph_client(roles=["advisor"], subject="a", advisor_id=c["mine"].id) as client:
        advisor = await gql(client, NETWORK, no=no)
        other_root = await gql(client, NETWORK, no=c["middle"].customer_no)
    async with graph_client(roles=["frontend"], subject="f") as client:
        frontend = await gql(client, NETWORK, no=no)

    assert sorted(_numbers(admin)) == sorted(
        c[k].customer_no for k in ("root", "middle", "leaf", "side")
    )
    assert admin["data"]["referralNetwork"]["totalAum"] == "7000300.00"
    assert len(admin["data"]["referralNetwork"]["edges"]) == 3
    assert sorted(_numbers(shallow)) == sorted(c[k].customer_no for k in ("root", "middle", "side"))
    assert codes(too_deep) == ["BAD_USER_INPUT"]
    # The other advisor's customer is left out, and so is the leaf behind it: its
    # depth of 2 would tell that someone sits in between.
    assert _numbers(advisor) == [c["root"].customer_no, c["side"].customer_no]
    network = advisor["data"]["referralNetwork"]
    assert network["edges"] == [{"source": 0, "target": 1}]
    assert network["totalAum"] == "200.00"
    assert codes(other_root) == ["NOT_FOUND"]
    assert codes(frontend) == ["FORBIDDEN_FIELD"]


TOP = (
    "{ topReferrers(first: 5) "
    "{ customer { customerNo name } directReferrals cascadeSize cascadeAum } }"
)
PROSPECTS = "{ prospects(first: 5) { customer { customerNo } connectedAum reasons } }"


async def test_top_referrers_and_prospects_per_role(
    graph_client: GraphClient, build_graph: Any, session: AsyncWriteSession
) -> None:
    c = await _chain(session)
    await build_graph()
    async with graph_client() as client:
        top = await gql(client, TOP)
        prospects = await gql(client, PROSPECTS)
        too_many = await gql(client, TOP.replace("first: 5", "first: 51"))
    async with graph_client(roles=["marketer"], subject="m") as client:
        marketer = await gql(client, TOP)
        # Prospects name household relations, which a marketer may not read.
        marketer_prospects = await gql(client, PROSPECTS)
    async with graph_client(roles=["advisor"], subject="a", advisor_id=c["mine"].id) as client:
        advisor = await gql(client, TOP)
        advisor_prospects = await gql(client, PROSPECTS)

    assert "errors" not in top, top["errors"]
    ranked = {r["customer"]["customerNo"]: r for r in top["data"]["topReferrers"]}
    assert set(ranked) == {c["root"].customer_no, c["middle"].customer_no}
    assert ranked[c["root"].customer_no]["cascadeSize"] == 3
    assert ranked[c["root"].customer_no]["cascadeAum"] == "7000300.00"
    assert codes(too_many) == ["BAD_USER_INPUT"]
    # The marketer sees the ranking with the name masked (its Customer lines).
    assert "errors" not in marketer, marketer["errors"]
    names = {r["customer"]["name"] for r in marketer["data"]["topReferrers"]}
    assert all("*" in n for n in names), names
    assert codes(marketer_prospects) == ["FORBIDDEN_FIELD"]
    assert codes(advisor) == ["FORBIDDEN_FIELD"]
    assert codes(advisor_prospects) == ["FORBIDDEN_FIELD"]
    # The middle customer is high-net-worth: its referrer and referee are prospects.
    assert "errors" not in prospects, prospects["errors"]
    found = {p["customer"]["customerNo"]: p for p in prospects["data"]["prospects"]}
    assert set(found) >= {c["leaf"].customer_no}
    assert found[c["leaf"].customer_no]["reasons"] == ["由高净值客户推荐"]
    assert found[c["leaf"].customer_no]["connectedAum"] == "7000000.00"


COMMUNITY = "query($no: String!) { customer(customerNo: $no) { community { id size aum } } }"


async def test_community_counts_and_aum_within_scope(
    graph_client: GraphClient, build_graph: Any, session: AsyncWriteSession
) -> None:
    mine, theirs = await create_advisor(session), await create_advisor(session)
    fund = await create_product(session)
    root = await create_customer(session, advisor_id=mine.id)
    friend = await create_customer(session, advisor_id=theirs.id)
    await create_referral(session, root, friend)
    await create_holding(session, friend, fund, market_value=Decimal("5000"))
    await build_graph()
    c = {"mine": mine}
    no = root.customer_no
    async with graph_client() as client:
        admin = await gql(client, COMMUNITY, no=no)
    async with graph_client(roles=["advisor"], subject="a", advisor_id=c["mine"].id) as client:
        advisor = await gql(client, COMMUNITY, no=no)
    async with graph_client(roles=["frontend"], subject="f") as client:
        frontend = await gql(client, COMMUNITY, no=no)

    assert "errors" not in admin, admin["errors"]
    whole = admin["data"]["customer"]["community"]
    assert whole["size"] == 2
    assert whole["aum"] == "5000.00"
    assert "errors" not in advisor, advisor["errors"]
    mine = advisor["data"]["customer"]["community"]
    assert mine["id"] == whole["id"]
    assert mine["aum"] is None  # a member is another advisor's customer
    assert mine["size"] == whole["size"] - 1
    assert codes(frontend) == ["FORBIDDEN_FIELD"]


HOUSEHOLD = """
query($no: String!) {
  customer(customerNo: $no) {
    household {
      tier
      holdingsByCategory { category amount }
      gaps { category text suggestedProductCode }
    }
  }
}
"""


async def test_household_insight_needs_every_member_in_scope(
    graph_client: GraphClient, build_graph: Any, session: AsyncWriteSession
) -> None:
    mine, theirs = await create_advisor(session), await create_advisor(session)
    fund = await create_product(session, category="mutual_fund", risk_rating=1)
    cover = await create_product(session, category="insurance", risk_rating=1, min_investment=0)
    head = await create_customer(session, advisor_id=mine.id)
    spouse = await create_customer(session, advisor_id=theirs.id)
    await create_household(session, [(head, "self"), (spouse, "spouse")])
    await create_holding(session, spouse, fund, market_value=Decimal("800000"))
    other = await create_customer(session)
    await create_holding(session, other, cover)
    await build_graph()
    async with graph_client() as client:
        admin = await gql(client, HOUSEHOLD, no=head.customer_no)
    async with graph_client(roles=["advisor"], subject="a", advisor_id=mine.id) as client:
        advisor = await gql(client, HOUSEHOLD, no=head.customer_no)

    assert "errors" not in admin, admin["errors"]
    family = admin["data"]["customer"]["household"]
    assert family["tier"] == "POTENTIAL"
    assert family["holdingsByCategory"] == [{"category": "mutual_fund", "amount": "800000.00"}]
    insurance = next(g for g in family["gaps"] if g["category"] == "insurance")
    assert insurance["text"] == "家庭未持有保险"
    assert insurance["suggestedProductCode"] == cover.code
    assert "errors" not in advisor, advisor["errors"]
    assert advisor["data"]["customer"]["household"] == {
        "tier": None,
        "holdingsByCategory": None,
        "gaps": None,
    }
