"""One regression test per way a value can leak past the field and row decisions.

Reading is not the only way to learn a value: filtering on it and counting the
rows, sorting by it, decoding a cursor, summing over hidden rows, grouping by it,
following a nested list or a global ID into rows out of scope, an error message
that differs for hidden and missing rows, and writing through a mutation.
"""

from __future__ import annotations

import base64
import re
from typing import Any

from sqlalchemy import update

from cdp.db.engine import AsyncWriteSession
from cdp.db.models import Consent
from tests.conftest import AppClient
from tests.factories import (
    create_customer,
    create_holding,
    create_household,
    create_product,
    create_referral,
)
from tests.schema.conftest import Api, id_for
from tests.schema.permissions.conftest import World

CUSTOMER_NOS = "{ customers { totalCount nodes { customerNo } } }"


def _code(body: dict[str, Any]) -> str | None:
    errors = body.get("errors") or [{}]
    code: str | None = errors[0].get("extensions", {}).get("code")
    return code


async def test_filter_on_a_field_not_filterable_is_refused(as_role: Any, world: World) -> None:
    partner = await as_role("partner")
    for predicate in ("aum: {min: 100000}", 'cities: ["上海市"]', "age: {min: 30}"):
        body = await partner.raw(f"{{ customers(filter: {{ {predicate} }}) {{ totalCount }} }}")
        assert _code(body) == "FORBIDDEN_FILTER", predicate
        assert body["data"] is None
    # Nested under and/or/not as well.
    nested = "{ customers(filter: {or: [{tiers: [MASS]}, {not: {aum: {max: 1}}}]}) { totalCount } }"
    assert _code(await partner.raw(nested)) == "FORBIDDEN_FILTER"
    # What the partner may filter on works.
    ok = await partner.raw("{ customers(filter: {riskLevels: [3]}) { totalCount } }")
    assert ok["data"]["customers"]["totalCount"] == 2


async def test_sorting_by_a_field_not_filterable_is_refused(as_role: Any, world: World) -> None:
    marketer, partner = await as_role("marketer"), await as_role("partner")
    # The marketer sees names only masked: sorting by them would reveal the order.
    by_name = "{ customers(orderBy: {field: NAME}) { totalCount } }"
    assert _code(await marketer.raw(by_name)) == "FORBIDDEN_FILTER"
    by_aum = "{ customers(orderBy: {field: AUM, direction: DESC}) { nodes { tier } } }"
    assert _code(await partner.raw(by_aum)) == "FORBIDDEN_FILTER"
    assert "errors" not in await marketer.raw(by_aum)


async def test_lookup_by_a_number_the_caller_may_not_filter_on(as_role: Any, world: World) -> None:
    partner = await as_role("partner")
    body = await partner.raw('{ customer(customerNo: "0C0001") { tier } }')
    assert _code(body) == "FORBIDDEN_FILTER"


async def test_cursors_are_sealed(as_role: Any, world: World) -> None:
    admin = await as_role("admin")
    page = await admin.data(
        "{ customers(first: 1, orderBy: {field: AUM, direction: DESC}) "
        "{ edges { cursor node { customerNo aum } } pageInfo { endCursor } } }"
    )
    [edge] = page["customers"]["edges"]
    cursor = edge["cursor"]
    assert cursor == page["customers"]["pageInfo"]["endCursor"]  # a position, stable
    raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    for plain in (edge["node"]["aum"], edge["node"]["customerNo"], "aum"):
        assert plain.encode() not in raw
    # A forged cursor (or one of another list) is refused, not decoded.
    forged = base64.urlsafe_b64encode(b'["aum:desc","999999999",1]').decode()
    for bad in (forged, cursor[:-2] + ("AA" if cursor[-2:] != "AA" else "BB")):
        body = await admin.raw(
            "query($c: String) { customers(first: 1, after: $c, "
            "orderBy: {field: AUM, direction: DESC}) { totalCount } }",
            c=bad,
        )
        assert _code(body) == "BAD_USER_INPUT"
    # And the real one pages on.
    nxt = await admin.data(
        "query($c: String) { customers(first: 1, after: $c, "
        "orderBy: {field: AUM, direction: DESC}) { nodes { customerNo } } }",
        c=cursor,
    )
    assert nxt["customers"]["nodes"][0]["customerNo"] != edge["node"]["customerNo"]


async def test_total_count_counts_only_rows_in_scope(as_role: Any, world: World) -> None:
    counts = {}
    for role in ("admin", "advisor", "partner", "source_system"):
        data = await (await as_role(role)).data("{ customers { totalCount } }")
        counts[role] = data["customers"]["totalCount"]
    # advisor: first, spouse, friend; partner: the two who granted partner sharing.
    assert counts == {"admin": 4, "advisor": 3, "partner": 2, "source_system": 0}


async def test_aggregates_sum_only_rows_in_scope(
    as_role: Any, world: World, session: AsyncWriteSession
) -> None:
    # A household of the advisor's friend and another advisor's customer.
    product = await create_product(session)
    await create_holding(session, world.friend, product, market_value="1000.00")
    await create_holding(session, world.stranger, product, market_value="500000.00")
    mixed = await create_household(
        session, [(world.friend, "self"), (world.stranger, "spouse")], household_no="0H0002"
    )
    document = (
        "query($id: ID!) { node(id: $id) { ... on Household { aum members "
        "{ customer { customerNo } } } } }"
    )
    admin = await (await as_role("admin")).data(
        document, id=id_for(["admin"], "Household", mixed.id)
    )
    advisor = await (await as_role("advisor")).data(
        document, id=id_for(["advisor"], "Household", mixed.id)
    )
    assert admin["node"]["aum"] == "501000.00"
    assert advisor["node"]["aum"] == "1000.00"
    assert advisor["node"]["members"] == [{"customer": {"customerNo": "0C0003"}}]
    # The advisor list and its customer counts: only advisors with customers in scope.
    advisors = await (await as_role("advisor")).data(
        "{ advisors { totalCount nodes { employeeNo customerCount } } }"
    )
    assert advisors["advisors"] == {
        "totalCount": 1,
        "nodes": [{"employeeNo": "0A0001", "customerCount": 3}],
    }


async def test_grouped_amounts_are_a_field_like_any_other(as_role: Any, world: World) -> None:
    # aumByCategory groups AUM by category: its keys and sums are the customer's.
    document = "{ customers(first: 1) { nodes { aumByCategory { category amount } } } }"
    partner = await (await as_role("partner")).raw(document)
    assert _code(partner) == "FORBIDDEN_FIELD"
    assert partner["data"]["customers"]["nodes"][0]["aumByCategory"] is None
    assert partner["errors"][0]["path"] == ["customers", "nodes", 0, "aumByCategory"]
    marketer = await (await as_role("marketer")).data(document)
    assert marketer["customers"]["nodes"][0]["aumByCategory"] == [
        {"category": "mutual_fund", "amount": "120000.00"}
    ]


async def test_nested_lists_stay_in_scope(
    as_role: Any, world: World, session: AsyncWriteSession
) -> None:
    await create_referral(session, world.first, world.stranger)
    document = "{ customers(first: 1) { nodes { referrals { customer { customerNo } } } } }"
    admin = await (await as_role("admin")).data(document)
    advisor = await (await as_role("advisor")).data(document)

    def referred(data: dict[str, Any]) -> list[str]:
        referrals = data["customers"]["nodes"][0]["referrals"]
        return [r["customer"]["customerNo"] for r in referrals]

    assert sorted(referred(admin)) == ["0C0003", "0C0004"]
    assert referred(advisor) == ["0C0003"]


async def test_global_ids_and_lookups_do_not_reach_out_of_scope(as_role: Any, world: World) -> None:
    advisor = await as_role("advisor")
    node = await advisor.data(
        "query($id: ID!) { node(id: $id) { id } }",
        id=id_for(["advisor"], "Customer", world.stranger.id),
    )
    assert node["node"] is None
    # Hidden and missing customers get the same answer, so the message tells nothing.
    hidden = await advisor.raw('{ customer(customerNo: "0C0004") { name } }')
    missing = await advisor.raw('{ customer(customerNo: "0C9999") { name } }')
    assert _code(hidden) == _code(missing) == "NOT_FOUND"
    assert hidden["errors"][0]["message"].replace("0C0004", "N") == missing["errors"][0][
        "message"
    ].replace("0C9999", "N")


async def test_paged_histories_need_the_field_and_filter_rights(as_role: Any, world: World) -> None:
    marketer = await as_role("marketer")
    body = await marketer.raw(
        "{ customers(first: 1) { nodes { customerNo transactions { totalCount } } } }"
    )
    assert _code(body) == "FORBIDDEN_FIELD"
    assert body["errors"][0]["path"] == ["customers", "nodes", 0, "transactions"]
    assert body["data"]["customers"]["nodes"][0] == {"customerNo": "0C0001", "transactions": None}


async def test_partner_sharing_withdrawal_counts_from_the_next_request(
    as_role: Any, world: World, session: AsyncWriteSession
) -> None:
    partner = await as_role("partner")
    assert (await partner.data(CUSTOMER_NOS.replace("customerNo", "tier")))["customers"][
        "totalCount"
    ] == 2
    await session.execute(
        update(Consent)
        .where(Consent.customer_id == world.friend.id, Consent.purpose == "partner_sharing")
        .values(granted=False)
    )
    await session.flush()
    after = await partner.data("{ customers { totalCount nodes { pseudonymousId } } }")
    assert after["customers"]["totalCount"] == 1


async def test_pseudonymous_ids_are_stable_and_not_the_customer_id(
    as_role: Any, world: World
) -> None:
    partner = await as_role("partner")
    document = "{ customers { nodes { pseudonymousId } } }"
    first = [n["pseudonymousId"] for n in (await partner.data(document))["customers"]["nodes"]]
    again = [n["pseudonymousId"] for n in (await partner.data(document))["customers"]["nodes"]]
    assert first == again
    assert len(set(first)) == 2
    assert all(re.fullmatch(r"P[0-9a-f]{20}", p) for p in first)


async def test_writes_need_the_write_decision(
    as_role: Any, world: World, session: AsyncWriteSession
) -> None:
    document = (
        'mutation { upsertCustomers(source: "crm", customers: '
        '[{sourceKey: "k1", name: "王五", phone: "13900000001"}]) { counts { created } } }'
    )
    marketer = await (await as_role("marketer")).raw(document)
    assert _code(marketer) == "FORBIDDEN"
    assert "Customer.name" in marketer["errors"][0]["message"]
    source = await (await as_role("source_system", sources=["crm"])).data(document)
    assert source["upsertCustomers"]["counts"]["created"] == 1
    assert await create_customer(session)  # the session is still usable


async def test_each_advisor_pages_through_only_their_own_customers(
    app_client: AppClient, world: World
) -> None:
    # Unfiltered pages run statements kept across requests, one per row scope: two
    # advisors in a row must not share one.
    document = "{ customers { nodes { customerNo } } }"
    seen: dict[str, list[list[str]]] = {}
    for advisor in (world.advisor, world.other_advisor, world.advisor):
        async with app_client(
            roles=["advisor"], advisor_id=advisor.id, rate_limit_enabled=False
        ) as client:
            data = await Api(client).data(document)
        seen.setdefault(advisor.employee_no, []).append(
            [n["customerNo"] for n in data["customers"]["nodes"]]
        )
    assert seen == {
        "0A0001": [["0C0001", "0C0002", "0C0003"]] * 2,
        "0A0002": [["0C0004"]],
    }
