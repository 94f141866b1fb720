"""Policy administration over GraphQL: admins change and read it, nobody else may."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

from cdp.db.engine import AsyncWriteSession, Database
from policies.compiled import CompiledPolicy
from policies.known_fields import known_fields
from policies.language import Decision
from policies.lines import parse_policy
from tests.conftest import AppClient
from tests.factories import create_customer
from tests.schema.mutations.helpers import error_code

UPDATE = """
mutation($add: [String!], $remove: [String!]) {
  updatePolicy(add: $add, remove: $remove) { version lines }
}
"""
READ = "{ policy { version lines } }"
LINE = "p, marketer, Customer.email, read, mask"
WARNED = """
mutation($add: [String!], $remove: [String!]) {
  updatePolicy(add: $add, remove: $remove) { lines warnings }
}
"""
README = Path(__file__).parents[3] / "README.md"


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


async def test_a_line_that_changes_nothing_is_applied_with_a_warning(
    client: httpx.AsyncClient,
) -> None:
    # Marketers inherit a deny on e-mail from pii_restricted; deny wins over mask.
    body = await post(client, WARNED, add=[LINE, "p, marketer, Customer.birthDate, read, allow"])
    answer = body["data"]["updatePolicy"]
    assert LINE in answer["lines"]
    assert answer["warnings"] == [
        f"{LINE} has no effect: marketer inherits a deny on Customer.email from pii_restricted"
    ]


async def test_lines_with_an_effect_bring_no_warning(client: httpx.AsyncClient) -> None:
    body = await post(client, WARNED, add=["p, marketer, Customer.birthDate, read, allow"])
    assert body["data"]["updatePolicy"]["warnings"] == []


def _readme_update_policy_example() -> str:
    section = README.read_text(encoding="utf-8").split("### Policy administration", 1)[1]
    found = re.search(r"```graphql\n(.*?)```", section, re.DOTALL)
    assert found is not None, "README's Policy administration has no GraphQL example"
    return found.group(1)


def _plan(lines: list[str]) -> Any:
    parsed = parse_policy("\n".join(lines))
    return CompiledPolicy.from_lines(parsed, known_fields()).plan({"advisor"})


async def test_the_readme_example_is_accepted_and_has_an_effect(
    client: httpx.AsyncClient,
) -> None:
    example = _readme_update_policy_example()
    assert "updatePolicy" in example
    before = (await post(client, READ))["data"]["policy"]
    body = await post(client, example)
    assert "errors" not in body, body
    answer = body["data"]["updatePolicy"]
    assert answer["warnings"] == []
    assert answer["version"] != before["version"]
    # What the README says it does: advisors read e-mail addresses masked.
    assert _plan(before["lines"]).decision("Customer", "email") is Decision.ALLOW
    assert _plan(answer["lines"]).decision("Customer", "email") is Decision.MASK


# ``policy`` beside a field the request's session resolves at the same time: both
# must answer, then and on the next request.
BESIDE = "{ policy { version lines } customers(first: 5) { totalCount } }"


async def test_the_policy_reads_beside_other_fields(
    client: httpx.AsyncClient, session: AsyncWriteSession
) -> None:
    await create_customer(session)
    for _ in range(2):
        body = await post(client, BESIDE)
        assert "errors" not in body, body
        assert "p2, admin, none" in body["data"]["policy"]["lines"]
        assert body["data"]["customers"]["totalCount"] == 1
    assert (await post(client, READ))["data"]["policy"] == body["data"]["policy"]


async def test_the_policy_reads_beside_other_fields_on_a_committed_database(
    app_client: AppClient, fresh_database: Callable[[], Awaitable[Database]]
) -> None:
    db = await fresh_database()
    async with db.write_session() as session:
        await create_customer(session)
    async with app_client(database=db) as client:
        for _ in range(2):
            body = await post(client, BESIDE)
            assert "errors" not in body, body
            assert body["data"]["customers"]["totalCount"] == 1
            assert "p2, admin, none" in body["data"]["policy"]["lines"]
