"""Transactions and interaction events, generated set-based inside PostgreSQL.

These are the big tables (tens of millions of rows at full scale); building them
from ``seed_profile`` with ``generate_series`` avoids shipping every row over the
wire. Randomness comes from ``hashint8extended(key, seed)`` rather than
``random()``: each value depends only on (customer, row number, seed), never on
scan order or plan, so the same seed yields the same rows.

Per customer the rows fall between ``first_at`` and the last activity, and the
first generated row sits exactly on the last activity, so recency (active,
sleeping, churned) is exactly what the profile says.
"""

from __future__ import annotations

from datetime import datetime

import asyncpg

# A uniform number in [0, 1) from a key and a seed; inlined by the planner.
_UNIFORM = """
CREATE OR REPLACE FUNCTION pg_temp.seed_u(key bigint, salt bigint) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT (hashint8extended(key, salt) & 4503599627370495)::float8 / 4503599627370496.0 $$
"""

_TRANSACTIONS = """
INSERT INTO transaction (customer_id, product_id, kind, amount, channel, occurred_at)
SELECT customer_id,
       CASE WHEN kind IN ('purchase', 'redemption', 'dividend', 'fee') AND n_products > 0
            THEN products[1 + floor(r3 * n_products)::int] END,
       kind,
       round((CASE kind WHEN 'dividend' THEN scale * 0.02 * r4 + 1
                        WHEN 'fee' THEN 5 + 50 * r4
                        ELSE scale * (0.05 + 2 * r4 * r4 * r4) END)::numeric, 2),
       CASE WHEN r5 < 0.55 THEN 'app' WHEN r5 < 0.65 THEN 'web' WHEN r5 < 0.80 THEN 'branch'
            WHEN r5 < 0.90 THEN 'advisor' ELSE 'phone' END,
       CASE WHEN n = 1 THEN last_txn ELSE first_at + r1 * (last_txn - first_at) END
FROM (
    SELECT p.customer_id, p.products, cardinality(p.products) AS n_products, p.scale,
           p.first_at, p.last_txn, g.n, r.r1, r.r3, r.r4, r.r5,
           CASE WHEN g.n = 1 AND p.churned THEN 'redemption'
                WHEN r.r2 < 0.40 THEN 'purchase' WHEN r.r2 < 0.55 THEN 'redemption'
                WHEN r.r2 < 0.70 THEN 'dividend' WHEN r.r2 < 0.82 THEN 'deposit'
                WHEN r.r2 < 0.90 THEN 'withdrawal' WHEN r.r2 < 0.94 THEN 'transfer_in'
                WHEN r.r2 < 0.97 THEN 'transfer_out' ELSE 'fee' END AS kind
    FROM seed_profile p
    CROSS JOIN LATERAL generate_series(1, p.txn_count) AS g(n)
    CROSS JOIN LATERAL (SELECT pg_temp.seed_u(p.customer_id * 1024 + g.n, $1 * 16 + 1) AS r1,
                               pg_temp.seed_u(p.customer_id * 1024 + g.n, $1 * 16 + 2) AS r2,
                               pg_temp.seed_u(p.customer_id * 1024 + g.n, $1 * 16 + 3) AS r3,
                               pg_temp.seed_u(p.customer_id * 1024 + g.n, $1 * 16 + 4) AS r4,
                               pg_temp.seed_u(p.customer_id * 1024 + g.n, $1 * 16 + 5) AS r5) r
    WHERE p.customer_id BETWEEN $2 AND $3 AND p.txn_count > 0
) t
"""

# The purchase that opened each position, when it falls inside the window.
_OPENING_PURCHASES = """
INSERT INTO transaction (customer_id, product_id, kind, amount, channel, occurred_at)
SELECT h.customer_id, h.product_id, 'purchase', h.cost,
       (ARRAY['app', 'branch', 'advisor', 'web', 'app'])[1 + (h.customer_id + h.product_id) % 5],
       h.opened_at
FROM holding h
WHERE h.opened_at >= $1
"""

_EVENTS = """
INSERT INTO interaction_event (customer_id, kind, occurred_at, properties)
SELECT customer_id, kind,
       CASE WHEN n = 1 THEN event_last ELSE first_at + r1 * (event_last - first_at) END,
       CASE kind
         WHEN 'login' THEN jsonb_build_object(
             'channel', CASE WHEN r3 < 0.8 THEN 'app' ELSE 'web' END,
             'device', (ARRAY['ios', 'android', 'pc'])[1 + floor(r4 * 3)::int])
         WHEN 'product_view' THEN jsonb_build_object(
             'product_id', CASE WHEN n_products > 0 AND r3 < 0.6
                                THEN products[1 + floor(r4 * n_products)::int]
                                ELSE 1 + floor(r4 * $4)::int END,
             'seconds', 5 + floor(r3 * 300)::int)
         WHEN 'call' THEN jsonb_build_object(
             'direction', CASE WHEN r3 < 0.7 THEN 'outbound' ELSE 'inbound' END,
             'duration_s', 30 + floor(r4 * 900)::int)
         WHEN 'complaint' THEN jsonb_build_object(
             'topic', (ARRAY['fees', 'service', 'performance', 'app'])[1 + floor(r3 * 4)::int],
             'resolved', r4 < 0.8)
         WHEN 'survey' THEN jsonb_build_object('nps', floor(r3 * 11)::int)
         WHEN 'email_open' THEN jsonb_build_object(
             'campaign', 'CMP' || (100 + floor(r3 * 40)::int))
         ELSE jsonb_build_object(
             'purpose', CASE WHEN r3 < 0.6 THEN 'consult' ELSE 'transaction' END)
       END
FROM (
    SELECT p.customer_id, p.products, cardinality(p.products) AS n_products, p.first_at,
           p.event_last, g.n, r.r1, r.r3, r.r4,
           CASE WHEN r.r2 < 0.55 THEN 'login' WHEN r.r2 < 0.80 THEN 'product_view'
                WHEN r.r2 < 0.88 THEN 'email_open' WHEN r.r2 < 0.94 THEN 'call'
                WHEN r.r2 < 0.97 THEN 'branch_visit' WHEN r.r2 < 0.99 THEN 'survey'
                ELSE 'complaint' END AS kind
    FROM seed_profile p
    CROSS JOIN LATERAL generate_series(1, p.event_count) AS g(n)
    CROSS JOIN LATERAL (SELECT pg_temp.seed_u(p.customer_id * 1024 + g.n, $1 * 16 + 8) AS r1,
                               pg_temp.seed_u(p.customer_id * 1024 + g.n, $1 * 16 + 9) AS r2,
                               pg_temp.seed_u(p.customer_id * 1024 + g.n, $1 * 16 + 10) AS r3,
                               pg_temp.seed_u(p.customer_id * 1024 + g.n, $1 * 16 + 11) AS r4) r
    WHERE p.customer_id BETWEEN $2 AND $3 AND p.event_count > 0 AND p.event_last > p.first_at
) e
"""


async def prepare(conn: asyncpg.Connection) -> None:
    await conn.execute(_UNIFORM)
    # One process per statement: parallel plans would not change the rows (they do not
    # depend on order) but compete with the loader for the two cores.
    await conn.execute("SET LOCAL max_parallel_workers_per_gather = 0")


def _count(status: str) -> int:
    return int(status.rsplit(" ", 1)[-1])


async def transactions(conn: asyncpg.Connection, seed: int, lo: int, hi: int) -> int:
    return _count(await conn.execute(_TRANSACTIONS, seed, lo, hi))


async def opening_purchases(conn: asyncpg.Connection, window_start: datetime) -> int:
    """Once all holdings are in: the purchase that opened each one inside the window."""
    return _count(await conn.execute(_OPENING_PURCHASES, window_start))


async def events(conn: asyncpg.Connection, seed: int, lo: int, hi: int, products: int) -> int:
    return _count(await conn.execute(_EVENTS, seed, lo, hi, products))
