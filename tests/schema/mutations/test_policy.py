"""Policy administration over GraphQL: admins change and read it, nobody else may."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import AppClient
from tests.schema.mutations.helpers import error_code

UPDATE = """
mutation($add: [String!], $remove: [String!]) {
  updatePolicy(add: $add, remove: $remove) { version lines }
}
"""
READ = "{ policy { version lines } }"
LINE = "p, marketer, Customer.email, read, mask"


async def post(client: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    body: dict[str, Any] = response.json()
    return body


async def test_an_admin_changes_the_policy(client: httpx.AsyncClient) -> None:
    before = (await post(client, READ))["data"]["policy"]
    assert "p2, admin, none" in before["lines"]
    added = (await post(client, UPDATE, add=[LINE]))["data"]["updatePolicy"]
    assert added["version"] != before["version"]
    assert LINE in added["lines"]
    assert (await post(client, READ))["data"]["policy"] == added
    removed = (await post(client, UPDATE, remove=[LINE]))["data"]["updatePolicy"]
    assert removed["version"] == before["version"]


async def test_roles_are_assigned_with_g_lines(client: httpx.AsyncClient) -> None:
    body = await post(client, UPDATE, add=["g, partner, customer_360"])
    assert "g, partner, customer_360" in body["data"]["updatePolicy"]["lines"]


async def test_others_are_forbidden(app_client: AppClient) -> None:
    async with app_client(roles=["advisor", "marketer"]) as client:
        assert error_code(await post(client, UPDATE, add=[LINE])) == "FORBIDDEN"
        assert error_code(await post(client, READ)) == "FORBIDDEN"


async def test_an_unknown_field_is_bad_input_naming_it(client: httpx.AsyncClient) -> None:
    body = await post(client, UPDATE, add=["p, marketer, Customer.shoeSize, read, allow"])
    assert error_code(body) == "BAD_USER_INPUT"
    assert "Customer.shoeSize" in body["errors"][0]["message"]


async def test_malformed_or_empty_changes_are_bad_input(client: httpx.AsyncClient) -> None:
    assert error_code(await post(client, UPDATE, add=["# a comment"])) == "BAD_USER_INPUT"
    assert error_code(await post(client, UPDATE)) == "BAD_USER_INPUT"
    body = await post(client, UPDATE, remove=["g, nobody, admin"])
    assert error_code(body) == "BAD_USER_INPUT"
