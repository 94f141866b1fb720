"""Past the burst: 429 with Retry-After and a GraphQL-shaped RATE_LIMITED error."""

from __future__ import annotations

from datetime import UTC, datetime

from cdp.auth.store import create_key
from cdp.config import RoleLimit
from cdp.db.engine import AsyncWriteSession
from tests.conftest import AppClient, bearer

QUERY = {"query": "{ __typename }"}


async def test_429_after_the_burst(app_client: AppClient) -> None:
    async with app_client(rate_limit_rate=0.01, rate_limit_burst=2) as client:
        allowed = [await client.post("/graphql", json=QUERY) for _ in range(2)]
        refused = await client.post(
            "/graphql", json=QUERY, headers={"accept": "application/graphql-response+json"}
        )
        probe = await client.get("/healthz")
    assert [r.status_code for r in allowed] == [200, 200]
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "100"
    assert refused.headers["content-type"].startswith("application/graphql-response+json")
    [error] = refused.json()["errors"]
    assert error["extensions"] == {"code": "RATE_LIMITED", "retryAfter": 100}
    assert probe.status_code == 200  # probes are never limited


async def test_each_key_and_subject_has_its_own_bucket(
    app_client: AppClient, session: AsyncWriteSession
) -> None:
    _, token = await create_key(session, "acme", "partner", datetime.now(UTC))
    await session.commit()
    limits = {
        "rate_limit_rate": 0.01,
        "rate_limit_burst": 1,
        "rate_limit_roles": {"partner": RoleLimit(rate=0.01, burst=2)},
    }
    async with app_client(**limits) as admin:
        assert (await admin.post("/graphql", json=QUERY)).status_code == 200
        assert (await admin.post("/graphql", json=QUERY)).status_code == 429
        # The same app, another caller.
        other = await admin.post("/graphql", json=QUERY, headers=bearer(token))
        again = await admin.post("/graphql", json=QUERY, headers=bearer(token))
        third = await admin.post("/graphql", json=QUERY, headers=bearer(token))
    assert (other.status_code, again.status_code, third.status_code) == (200, 200, 429)
