"""Customer.crossSell over GraphQL: incremental updates, the caller's fields, consent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from cdp.db.engine import AsyncWriteSession
from tests.factories import (
    create_advisor,
    create_consent,
    create_customer,
    create_holding,
    create_household,
    create_product,
)
from tests.ingest.helpers import person
from tests.schema.graph.conftest import GraphClient, codes, gql
from tests.schema.mutations.helpers import UPSERT_CUSTOMERS, UPSERT_HOLDINGS, data, send

ASSESSED = date(2026, 6, 1)
CROSS_SELL = """
query($no: String!, $first: Int = 5) {
  customer(customerNo: $no) {
    crossSell(first: $first) {
      purpose withheld
      items { productCode score components { name value } reasons { kind text } }
    }
  }
}
"""


def items(body: dict[str, Any]) -> list[dict[str, Any]]:
    assert "errors" not in body, body["errors"]
    found: list[dict[str, Any]] = body["data"]["customer"]["crossSell"]["items"]
    return found


async def test_a_holding_written_through_graphql_reaches_the_next_answer(
    graph_client: GraphClient, build_graph: Any, session: AsyncWriteSession
) -> None:
    """No rebuild: the app catches up from the database before answering."""
    funds = [await create_product(session, risk_rating=1, min_investment=0) for _ in range(3)]
    async with graph_client() as client:
        made = data(await send(client, UPSERT_CUSTOMERS, [person("G1", "王五")]))
        no = made["items"][0]["customerNo"]
        await build_graph()
        before = {i["productCode"] for i in items(await gql(client, CROSS_SELL, no=no))}
        assert before == {f.code for f in funds}
        row = {
            "customer_key": "G1",
            "product_code": funds[0].code,
            "units": "10",
            "market_value": "5000",
            "opened_at": "2026-11-01",
        }
        data(await send(client, UPSERT_HOLDINGS, [row]))
        after = {i["productCode"] for i in items(await gql(client, CROSS_SELL, no=no))}
    assert after == {funds[1].code, funds[2].code}  # the held product is no longer offered


async def _family(session: AsyncWriteSession) -> dict[str, Any]:
    """Me holding A, my spouse in another segment (and another advisor's book), and a
    product X that only the spouse's holding can lift."""
    mine, theirs = await create_advisor(session), await create_advisor(session)
    a = await create_product(session, risk_rating=1, min_investment=0)
    x = await create_product(session, risk_rating=1, min_investment=0)
    others = [await create_product(session, risk_rating=1, min_investment=0) for _ in range(3)]
    me = await create_customer(session, risk_level=3, risk_assessed_at=ASSESSED, advisor_id=mine.id)
    spouse = await create_customer(
        session, risk_level=5, risk_assessed_at=ASSESSED, advisor_id=theirs.id
    )
    await create_household(session, [(me, "self"), (spouse, "spouse")])
    await create_holding(session, me, a, market_value=Decimal("20000"))
    return {"me": me, "spouse": spouse, "x": x, "others": others, "advisor": mine}


def ranking(body: dict[str, Any]) -> list[tuple[str, float]]:
    return [(i["productCode"], i["score"]) for i in items(body)]


async def test_household_reason_only_for_callers_who_may_read_it(
    graph_client: GraphClient, build_graph: Any, session: AsyncWriteSession
) -> None:
    f = await _family(session)
    no = f["me"].customer_no
    await build_graph()
    callers = {
        "admin": {},
        # may not read Household.members or HouseholdMember.* at all
        "marketer": {"roles": ["marketer"], "subject": "m"},
        # may read them, but the spouse is another advisor's customer
        "advisor": {"roles": ["advisor"], "subject": "a", "advisor_id": f["advisor"].id},
    }
    before, after = {}, {}
    for name, kwargs in callers.items():
        async with graph_client(**kwargs) as client:
            before[name] = await gql(client, CROSS_SELL, no=no, first=10)
    await create_holding(session, f["spouse"], f["x"], market_value=Decimal("1000"))
    for name, kwargs in callers.items():
        async with graph_client(**kwargs) as client:
            after[name] = await gql(client, CROSS_SELL, no=no, first=10)

    admin = items(after["admin"])
    assert admin[0]["productCode"] == f["x"].code
    assert [r["kind"] for r in admin[0]["reasons"]] == ["household"]
    assert admin[0]["reasons"][0]["text"].startswith("配偶持有")
    for name in ("marketer", "advisor"):
        got = items(after[name])
        assert all(r["kind"] != "household" for i in got for r in i["reasons"]), name
        assert all("household" not in {c["name"] for c in i["components"]} for i in got), name
        # Not even the order moves: the spouse's holding is invisible to this caller.
        assert ranking(after[name]) == ranking(before[name]), name


async def test_marketing_consent_withdrawn_empties_the_list_with_a_reason(
    graph_client: GraphClient, build_graph: Any, session: AsyncWriteSession
) -> None:
    await create_product(session, risk_rating=1, min_investment=0)
    me = await create_customer(session, risk_assessed_at=ASSESSED)
    await create_consent(session, me, "marketing", granted=False)
    await build_graph()
    async with graph_client(roles=["marketer"], subject="m") as client:
        marketer = (await gql(client, CROSS_SELL, no=me.customer_no))["data"]["customer"]
    async with graph_client() as client:
        advice = (await gql(client, CROSS_SELL, no=me.customer_no))["data"]["customer"]
        asked = await gql(
            client,
            CROSS_SELL.replace("(first: $first)", "(first: $first, purpose: MARKETING)"),
            no=me.customer_no,
        )
    assert marketer["crossSell"] == {
        "purpose": "MARKETING",
        "withheld": "marketing consent withdrawn",
        "items": [],
    }
    assert asked["data"]["customer"]["crossSell"]["items"] == []
    assert advice["crossSell"]["purpose"] == "ADVICE"
    assert len(advice["crossSell"]["items"]) == 1


async def test_roles_without_the_field_and_bad_arguments(
    graph_client: GraphClient, build_graph: Any, session: AsyncWriteSession
) -> None:
    me = await create_customer(session, risk_assessed_at=ASSESSED)
    await create_consent(session, me, "partner_sharing")
    await build_graph()
    query = "{ customers(first: 1) { nodes { crossSell { items { productCode } } } } }"
    for role in ("partner", "auditor"):
        async with graph_client(roles=[role], subject=role, headers=None) as client:
            body = await client.post(
                "/graphql", json={"query": query}, headers={"x-purpose": "service"}
            )
        answer = body.json()
        assert answer["data"]["customers"]["nodes"] == [{"crossSell": None}], role
        assert codes(answer) == ["FORBIDDEN_FIELD"], role
    async with graph_client() as client:
        too_many = await gql(client, CROSS_SELL, no=me.customer_no, first=51)
        none = await gql(client, CROSS_SELL, no=me.customer_no, first=0)
    assert codes(too_many) == ["BAD_USER_INPUT"]
    assert codes(none) == ["BAD_USER_INPUT"]


async def test_without_a_snapshot_the_field_is_unavailable(
    graph_client: GraphClient, session: AsyncWriteSession
) -> None:
    me = await create_customer(session)
    async with graph_client() as client:
        body = await gql(client, CROSS_SELL, no=me.customer_no)
    assert codes(body) == ["UNAVAILABLE"]
    assert "cdp graph build" in body["errors"][0]["message"]
    assert body["data"]["customer"]["crossSell"] is None
