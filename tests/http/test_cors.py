"""CORS: off unless CDP_CORS_ORIGINS names origins; then preflights pass before auth."""

from __future__ import annotations

from tests.conftest import AppClient

ORIGIN = "http://localhost:5173"
PREFLIGHT = {
    "origin": ORIGIN,
    "access-control-request-method": "POST",
    "access-control-request-headers": "authorization, content-type",
}


async def test_no_cors_headers_by_default(app_client: AppClient) -> None:
    async with app_client() as client:
        response = await client.post(
            "/graphql", json={"query": "{ __typename }"}, headers={"origin": ORIGIN}
        )
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers


async def test_configured_origin_may_call_from_a_browser(app_client: AppClient) -> None:
    async with app_client(cors_origins=f"{ORIGIN}, https://app.example.com/") as client:
        # The preflight carries no credentials and must not meet a 401.
        preflight = await client.options("/graphql", headers=PREFLIGHT | {"authorization": ""})
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == ORIGIN
        assert "authorization" in preflight.headers["access-control-allow-headers"].lower()
        response = await client.post(
            "/graphql", json={"query": "{ __typename }"}, headers={"origin": ORIGIN}
        )
        assert response.status_code == 200
        assert response.headers["access-control-allow-origin"] == ORIGIN
        assert "x-request-id" in response.headers["access-control-expose-headers"].lower()
        stranger = await client.options(
            "/graphql", headers=PREFLIGHT | {"origin": "https://evil.example"}
        )
        assert stranger.status_code == 400
        assert "access-control-allow-origin" not in stranger.headers
