"""The practical ceiling for the customer-360 list: one SQL statement, no GraphQL.

PostgreSQL builds the whole response document (json_agg / json_build_object) and
the endpoint passes its text through, so what remains is the HTTP server, one pool
checkout and one round trip. The document has the shape of cdp's answer to the
benchmark query (``bench/bench_api.py``), field for field, so the two can be
compared for equality. Served by uvicorn:

    CEILING_DATABASE_URL=postgresql://… uvicorn ceiling:create_app --factory --app-dir bench/peers
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

# Ordered and filtered as cdp's default customers list (customer number, then id;
# merged-away records left out); holdings as cdp lists them (largest value first).
# Numerics as text and timestamps in UTC, because cdp serialises Decimal as a string
# and datetimes with isoformat().
QUERY = """
SELECT json_build_object('data', json_build_object('customers', json_build_object(
    'nodes', coalesce(json_agg(page.doc ORDER BY page.customer_no, page.id), '[]'::json)
)))::text
FROM (
    SELECT c.customer_no, c.id, json_build_object(
        'customerNo', c.customer_no,
        'name', c.name,
        'gender', c.gender,
        'birthDate', c.birth_date,
        'province', c.province,
        'city', c.city,
        'occupation', c.occupation,
        'annualIncome', c.annual_income::text,
        'riskLevel', c.risk_level,
        'riskAssessedAt', c.risk_assessed_at,
        'investorClass', c.investor_class,
        'branch', c.branch,
        'onboardedAt', c.onboarded_at,
        'status', c.status,
        'holdings', coalesce((
            SELECT json_agg(json_build_object(
                'marketValue', h.market_value::text,
                'units', h.units::text,
                'product', json_build_object(
                    'code', p.code,
                    'name', p.name,
                    'category', p.category,
                    'riskRating', p.risk_rating
                )
            ) ORDER BY h.market_value DESC, h.id)
            FROM holding h JOIN product p ON p.id = h.product_id
            WHERE h.customer_id = c.id
        ), '[]'::json),
        'tags', '[]'::json
    ) AS doc
    FROM customer c
    WHERE c.status <> 'merged'
    ORDER BY c.customer_no, c.id
    LIMIT $1
) AS page
"""


def create_app() -> Starlette:
    dsn = os.environ["CEILING_DATABASE_URL"]
    page_size = int(os.environ.get("CEILING_PAGE_SIZE", "50"))
    # The same pool size per worker as cdp's default (CDP_DB_POOL_SIZE) and PostGraphile's.
    pool_size = int(os.environ.get("CEILING_POOL_SIZE", "10"))

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.pool = await asyncpg.create_pool(
            dsn, min_size=1, max_size=pool_size, server_settings={"TimeZone": "UTC"}
        )
        try:
            yield
        finally:
            await app.state.pool.close()

    async def graphql(request: Request) -> Response:
        await request.body()  # a real endpoint reads the document it is sent
        async with request.app.state.pool.acquire() as conn:
            document: str = await conn.fetchval(QUERY, page_size)
        return Response(document, media_type="application/json")

    return Starlette(routes=[Route("/graphql", graphql, methods=["POST"])], lifespan=lifespan)
