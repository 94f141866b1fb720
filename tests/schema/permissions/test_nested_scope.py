"""Nested objects are scoped and projected as if queried directly.

A household reached from a visible customer must not tell an advisor about its
members of other advisors: not by the household's name (made of the head's full
name), not by the members' relations to a head the advisor cannot see. Referrals
follow the same row scope.
"""

from __future__ import annotations

from typing import Any

from cdp.db.engine import AsyncWriteSession
from tests.factories import create_household, create_referral
from tests.schema.permissions.conftest import World, dig

FRIEND = """
{ customers(first: 10) { nodes {
    customerNo householdRelation
    household { householdNo name members { relation customer { customerNo } } }
    referredBy { channel customer { customerNo } }
} } }
"""


def _node(data: dict[str, Any], customer_no: str) -> dict[str, Any]:
    [node] = [n for n in data["customers"]["nodes"] if n["customerNo"] == customer_no]
    return dict(node)


def _errors_at(body: dict[str, Any], prefix: list[Any]) -> dict[tuple[Any, ...], str]:
    return {
        tuple(e["path"]): e["extensions"]["code"]
        for e in body.get("errors", [])
        if e.get("path", [])[: len(prefix)] == prefix
    }


async def test_a_household_headed_out_of_scope_hides_the_heads_name(
    as_role: Any, world: World, session: AsyncWriteSession
) -> None:
    # The stranger (another advisor's customer) heads a household named after them;
    # the advisor's friend is the spouse.
    head_name = world.stranger.name
    await create_household(
        session,
        [(world.stranger, "self"), (world.friend, "spouse")],
        household_no="0H0009",
        name=f"{head_name}家",
    )
    admin = _node(await (await as_role("admin")).data(FRIEND), "0C0003")
    assert admin["household"]["name"] == f"{head_name}家"
    assert admin["householdRelation"] == "spouse"

    advisor = await as_role("advisor")
    body = await advisor.raw(FRIEND)
    nodes = body["data"]["customers"]["nodes"]
    at = next(i for i, n in enumerate(nodes) if n["customerNo"] == "0C0003")
    friend = nodes[at]
    assert head_name not in str(body["data"])
    assert friend["household"]["householdNo"] == "0H0009"
    assert friend["household"]["name"] is None
    assert friend["householdRelation"] is None
    # Only the visible member, without the relation that points at the hidden head.
    assert friend["household"]["members"] == [
        {"relation": None, "customer": {"customerNo": "0C0003"}}
    ]
    path = ["customers", "nodes", at]
    assert _errors_at(body, path) == {
        (*path, "householdRelation"): "FORBIDDEN_FIELD",
        (*path, "household", "name"): "FORBIDDEN_FIELD",
        (*path, "household", "members", 0, "relation"): "FORBIDDEN_FIELD",
    }


async def test_the_same_household_through_every_path(
    as_role: Any, world: World, session: AsyncWriteSession
) -> None:
    await create_household(
        session,
        [(world.stranger, "self"), (world.friend, "spouse")],
        household_no="0H0009",
        name=f"{world.stranger.name}家",
    )
    advisor = await as_role("advisor")
    listed = await advisor.raw(
        "{ households(first: 10) { nodes { id householdNo name members { relation } } } }"
    )
    households = {h["householdNo"]: h for h in listed["data"]["households"]["nodes"]}
    assert set(households) == {"0H0001", "0H0009"}
    assert households["0H0009"]["name"] is None
    assert households["0H0009"]["members"] == [{"relation": None}]
    # The advisor's own household (every member theirs) keeps its name and relations.
    assert households["0H0001"]["name"] == world.household.name
    assert households["0H0001"]["members"] == [{"relation": "self"}, {"relation": "spouse"}]
    node = await advisor.raw(
        "query($id: ID!) { node(id: $id) { ... on Household { name } } }",
        id=households["0H0009"]["id"],
    )
    assert node["data"]["node"] == {"name": None}
    assert node["errors"][0]["extensions"]["code"] == "FORBIDDEN_FIELD"
    # Reached from a member of the advisor's own household, the name is there.
    own = await advisor.data('{ customer(customerNo: "0C0002") { household { name } } }')
    assert own["customer"]["household"]["name"] == world.household.name


async def test_a_referrer_out_of_scope_is_not_shown(
    as_role: Any, world: World, session: AsyncWriteSession
) -> None:
    # The stranger referred the advisor's spouse customer.
    await create_referral(session, world.stranger, world.spouse, channel="event")
    admin = _node(await (await as_role("admin")).data(FRIEND), "0C0002")
    assert dig(admin, ["referredBy", "customer", "customerNo"]) == "0C0004"
    advisor = _node(await (await as_role("advisor")).data(FRIEND), "0C0002")
    assert advisor["referredBy"] is None
