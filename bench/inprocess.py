"""Whole GraphQL requests against the app in this process, for A/B benchmarks.

The app runs under its lifespan with an httpx ``ASGITransport``: every layer of a
request (authentication, context, execution, encoding) runs, without a network or
a load generator in between, so two variants timed alternately in one process are
compared on the same footing.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import httpx
import jwt

from cdp.app import create_app
from cdp.config import Settings

SECRET = "bench-only-jwt-secret-of-at-least-32-bytes"


def settings_for(url: str, **overrides: Any) -> Settings:
    # The tag worker would run the tag library over the benchmark's book in the same
    # process and compete with the requests being timed; a benchmark wanting it says so.
    overrides.setdefault("tag_worker_seconds", 0)
    return Settings(
        database_url=url,
        **overrides,
        jwt_secret=SECRET,
        rate_limit_enabled=False,
        log_level="WARNING",
        log_json=False,
    )


def token(roles: Sequence[str], advisor_id: int | None = None) -> str:
    claims: dict[str, Any] = {"sub": "bench", "roles": list(roles), "exp": time.time() + 3600}
    if advisor_id is not None:
        claims["advisor_id"] = advisor_id
    return jwt.encode(claims, SECRET)


@asynccontextmanager
async def running_app(url: str, **overrides: Any) -> AsyncIterator[httpx.AsyncClient]:
    """A client of a freshly started app on ``url`` (settings ``overrides``); pass
    credentials per request."""
    app = create_app(settings_for(url, **overrides))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            yield client


async def timed(
    client: httpx.AsyncClient, query: str, requests: int, headers: dict[str, str] | None = None
) -> list[float]:
    """Seconds per request; any error response stops the benchmark."""
    times = []
    for _ in range(requests):
        t0 = time.perf_counter()
        response = await client.post("/graphql", json={"query": query}, headers=headers)
        times.append(time.perf_counter() - t0)
        if response.status_code != 200 or "errors" in response.json():
            raise RuntimeError(response.text[:500])
    return times


def p50_ms(times: Sequence[float]) -> float:
    return statistics.median(times) * 1e3
