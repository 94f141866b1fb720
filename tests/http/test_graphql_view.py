"""GraphQL over HTTP: methods, media types, status codes, and production mode."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.conftest import AppClient

GR_JSON = "application/graphql-response+json"
ClientFactory = AppClient


@pytest.fixture
def make_client(app_client: AppClient) -> AppClient:
    """Admin clients of an app configured by Settings overrides, as an operator would."""
    return app_client


@pytest.fixture
async def client(make_client: ClientFactory) -> AsyncIterator[httpx.AsyncClient]:
    async with make_client() as c:
        yield c


async def post(
    client: httpx.AsyncClient, query: str, accept: str | None = GR_JSON, **body: Any
) -> httpx.Response:
    headers = {"accept": accept} if accept else {}
    return await client.post("/graphql", json={"query": query, **body}, headers=headers)


async def test_get_runs_queries(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", params={"query": "{ __typename }"})
    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "Query"}}


async def test_mutation_over_get_is_405_and_points_to_post(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/graphql", params={"query": "mutation { __typename }"}, headers={"accept": GR_JSON}
    )
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (GR_JSON, GR_JSON),
        (f"{GR_JSON}, application/json;q=0.9", GR_JSON),
        ("application/json", "application/json"),
        ("*/*", "application/json"),
        (None, "application/json"),
    ],
)
async def test_media_type_follows_accept(
    client: httpx.AsyncClient, accept: str | None, media_type: str
) -> None:
    response = await post(client, "{ __typename }", accept=accept)
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{media_type}; charset=utf-8"


async def test_unacceptable_accept_is_406(client: httpx.AsyncClient) -> None:
    response = await post(client, "{ __typename }", accept="text/csv")
    assert response.status_code == 406


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/graphql"])
async def test_unsupported_content_type_is_415(
    client: httpx.AsyncClient, content_type: str | None
) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = await client.post(
        "/graphql", content=b'{"query": "{ __typename }"}', headers=headers
    )
    assert response.status_code == 415


@pytest.mark.parametrize(
    "body",
    [b'{ "not json', b"0", b'{"query": 1}', b'{"query": "{ __typename }", "operationName": 0}'],
)
async def test_malformed_requests_are_400(client: httpx.AsyncClient, body: bytes) -> None:
    response = await client.post(
        "/graphql", content=body, headers={"content-type": "application/json", "accept": GR_JSON}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


@pytest.mark.parametrize(
    ("query", "variables", "code"),
    [
        ("{", None, "GRAPHQL_PARSE_FAILED"),
        ("{ noSuchField }", None, "GRAPHQL_VALIDATION_FAILED"),
        ("query($b: Boolean!) { __typename @skip(if: $b) }", {"b": "x"}, "BAD_USER_INPUT"),
    ],
)
async def test_request_errors_have_no_data_and_status_by_media_type(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None, code: str
) -> None:
    modern = await post(client, query, variables=variables)
    legacy = await post(client, query, accept="application/json", variables=variables)

    assert modern.status_code == 400
    assert legacy.status_code == 200
    for response in (modern, legacy):
        body = response.json()
        assert "data" not in body
        assert [e["extensions"]["code"] for e in body["errors"]] == [code]


async def test_limits_come_from_settings(make_client: ClientFactory) -> None:
    async with make_client(max_aliases=1, max_tokens=50) as client:
        aliases = await post(client, "{ a: __typename b: __typename }")
        tokens = await post(client, "{ " + "__typename " * 60 + "}")
    assert aliases.status_code == tokens.status_code == 400
    [alias_error] = aliases.json()["errors"]
    assert alias_error["extensions"] == {
        "code": "QUERY_TOO_COMPLEX",
        "limit": "aliases",
        "maximum": 1,
    }
    [token_error] = tokens.json()["errors"]
    assert token_error["extensions"] == {
        "code": "QUERY_TOO_COMPLEX",
        "limit": "tokens",
        "maximum": 50,
    }


async def test_graphiql_outside_production_only(make_client: ClientFactory) -> None:
    async with make_client(env="development") as client:
        development = await client.get("/graphql", headers={"accept": "text/html"})
    async with make_client(env="production") as client:
        production = await client.get("/graphql", headers={"accept": "text/html"})
        browser = await client.get("/graphql", headers={"accept": "text/html,*/*;q=0.8"})
    assert development.status_code == 200
    assert "graphiql" in development.text.lower()
    assert production.status_code == 406
    assert browser.status_code == 400
    assert "graphiql" not in browser.text.lower()


async def test_production_disables_introspection(make_client: ClientFactory) -> None:
    query = '{ __schema { types { name } } __type(name: "Query") { name } }'
    async with make_client(env="development") as client:
        open_ = await post(client, query)
    async with make_client(env="production") as client:
        closed = await post(client, query)
        typename = await post(client, "{ __typename }")
    assert open_.status_code == 200
    assert closed.status_code == 400
    assert {e["extensions"]["code"] for e in closed.json()["errors"]} == {
        "GRAPHQL_VALIDATION_FAILED"
    }
    assert typename.json() == {"data": {"__typename": "Query"}}


async def test_production_hides_suggestions(make_client: ClientFactory) -> None:
    # One letter off a field of the root type and off a built-in scalar.
    query = "query($x: Strin) { customr { name } }"
    async with make_client(env="development") as client:
        development = await post(client, query)
    async with make_client(env="production") as client:
        production = await post(client, query)
    assert development.text.count("Did you mean") == 2
    assert "Did you mean" not in production.text
    messages = [e["message"] for e in production.json()["errors"]]
    assert "Cannot query field 'customr' on type 'Query'." in messages
    assert "Unknown type 'Strin'." in messages


NESTED_PAGES = """
{ customers(first: 100) { edges { node {
    transactions(first: 100) { edges { node { __typename } } }
} } } }
"""


async def test_cost_is_refused_before_execution_with_cost_and_limit(
    make_client: ClientFactory,
) -> None:
    # customers 1, their edges and nodes 100 each, transaction connections 100,
    # transaction edges and nodes 100 x 100 each.
    expected = 1 + 100 + 100 + 100 + 2 * 100 * 100
    async with make_client(max_cost=expected - 1) as client:
        refused = await post(client, NESTED_PAGES)
    async with make_client(max_cost=expected) as client:
        allowed = await post(client, NESTED_PAGES)
    assert refused.status_code == 400
    [error] = refused.json()["errors"]
    assert error["extensions"] == {
        "code": "QUERY_TOO_COMPLEX",
        "limit": "cost",
        "maximum": expected - 1,
        "actual": expected,
    }
    assert allowed.status_code == 200
    assert "errors" not in allowed.json()
