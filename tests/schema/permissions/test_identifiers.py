"""Global IDs and cursors are per role set: an attacker's view.

A role that may not read ``Customer.id`` (the partner) must not be able to turn
an id it learnt elsewhere into an object, nor join its IDs or cursors with those
of another role: both are sealed under a key of the caller's role set.
"""

from __future__ import annotations

import base64
from typing import Any

from tests.schema.conftest import Api, id_for
from tests.schema.permissions.conftest import World

NODE = "query($id: ID!) { node(id: $id) { ... on Customer { pseudonymousId tier } } }"
FIRST_CURSOR = "{ customers(first: 1) { edges { cursor } pageInfo { endCursor } } }"
AFTER = "query($c: String) { customers(first: 1, after: $c) { edges { cursor } } }"
CUSTOMER_ID = "{ customers(first: 1) { nodes { id customerNo } } }"


def _code(body: dict[str, Any]) -> str | None:
    errors = body.get("errors") or [{}]
    code: str | None = errors[0].get("extensions", {}).get("code")
    return code


async def test_a_partner_cannot_build_a_global_id_from_a_known_id(
    as_role: Any, world: World
) -> None:
    partner = await as_role("partner")
    # The first customer shares with partners, so a resolvable ID would return it.
    built = base64.b64encode(f"Customer:{world.first.id}".encode()).decode()
    body = await partner.raw(NODE, id=built)
    assert _code(body) == "BAD_USER_INPUT"
    assert not (body.get("data") or {}).get("node")
    assert "pseudonymousId" not in str(body)


async def test_a_partner_cannot_use_another_roles_global_id(as_role: Any, world: World) -> None:
    partner = await as_role("partner")
    for roles in (["admin"], ["marketer"], ["advisor"]):
        body = await partner.raw(NODE, id=id_for(roles, "Customer", world.first.id))
        assert _code(body) == "BAD_USER_INPUT", roles
        assert not (body.get("data") or {}).get("node")


async def test_node_refuses_a_type_whose_id_the_caller_may_not_read(
    as_role: Any, world: World
) -> None:
    # Even an ID sealed for the partner (it is never given one: its policy denies
    # Customer.id) does not resolve, e.g. one kept from before a policy change.
    partner = await as_role("partner")
    body = await partner.raw(NODE, id=id_for(["partner"], "Customer", world.first.id))
    assert _code(body) == "FORBIDDEN_FIELD"
    assert body["data"]["node"] is None


async def test_global_ids_differ_per_role_and_resolve_only_for_it(
    as_role: Any, world: World
) -> None:
    ids = {}
    for role in ("admin", "advisor", "frontend", "marketer"):
        data = await (await as_role(role)).data(CUSTOMER_ID)
        [node] = data["customers"]["nodes"]
        assert node["customerNo"] == "0C0001"
        ids[role] = node["id"]
    assert len(set(ids.values())) == len(ids)
    for role in ids:
        api = await as_role(role)
        own = await api.data("query($id: ID!) { node(id: $id) { id } }", id=ids[role])
        assert own["node"] == {"id": ids[role]}  # stable for the role
        for other, foreign in ids.items():
            if other != role:
                body = await api.raw("query($id: ID!) { node(id: $id) { id } }", id=foreign)
                assert _code(body) == "BAD_USER_INPUT", (role, other)


async def test_the_same_role_set_shares_ids_across_callers(app_client: Any, world: World) -> None:
    # Two callers of the same role set get the same ID for the same row.
    document = "{ advisors(first: 1) { nodes { id employeeNo } } }"
    async with (
        app_client(roles=["advisor"], advisor_id=world.advisor.id, subject="a1") as one,
        app_client(roles=["advisor"], advisor_id=world.advisor.id, subject="a2") as two,
    ):
        first = await Api(one).data(document)
        second = await Api(two).data(document)
    assert first == second


async def test_cursors_differ_per_role_for_the_same_row(as_role: Any, world: World) -> None:
    cursors = {}
    for role in ("admin", "partner", "frontend"):
        data = await (await as_role(role)).data(FIRST_CURSOR)
        [edge] = data["customers"]["edges"]
        assert edge["cursor"] == data["customers"]["pageInfo"]["endCursor"]
        cursors[role] = edge["cursor"]
    # Every role's first customer in the default order is 0C0001, the same row.
    assert len(set(cursors.values())) == 3


async def test_a_cursor_of_another_role_is_refused(as_role: Any, world: World) -> None:
    admin, partner = await as_role("admin"), await as_role("partner")
    admin_cursor = (await admin.data(FIRST_CURSOR))["customers"]["edges"][0]["cursor"]
    replayed = await partner.raw(AFTER, c=admin_cursor)
    assert _code(replayed) == "BAD_USER_INPUT"
    assert replayed["data"] is None
    # The partner's own cursor pages on.
    own = (await partner.data(FIRST_CURSOR))["customers"]["edges"][0]["cursor"]
    assert len((await partner.data(AFTER, c=own))["customers"]["edges"]) == 1
    # And the other way round.
    assert _code(await admin.raw(AFTER, c=own)) == "BAD_USER_INPUT"
