"""Consent history per customer and purpose, and the current state it leads to.

Every customer answers all three purposes at onboarding; profiling is almost
always granted, partner sharing rarely. Later a share withdraws (PIPL lets them
at any time) and a few grant again, so ``consent_event`` holds real histories and
``consent`` is always the last event of each purpose.

Built set-based from the loaded customers (like the activity tables) with the
same hash-based randomness, so it costs no Python time per customer.
"""

from __future__ import annotations

from datetime import datetime

import asyncpg

WITHDRAW_SHARE = 0.08
REGRANT_SHARE = 0.25

# One row per customer, purpose and step (1 answer at onboarding, 2 withdrawal,
# 3 grant again); ``seed_consent_steps`` is dropped with the transaction.
_STEPS = f"""
CREATE TEMP TABLE seed_consent_steps ON COMMIT DROP AS
WITH base AS (
    SELECT c.id AS customer_id, p.purpose, p.k, c.onboarded_at,
           CASE WHEN pg_temp.seed_u(c.id, $1 * 16 + 12) < 0.5 THEN 'app'
                WHEN pg_temp.seed_u(c.id, $1 * 16 + 12) < 0.7 THEN 'web'
                WHEN pg_temp.seed_u(c.id, $1 * 16 + 12) < 0.9 THEN 'branch'
                ELSE 'crm' END AS channel,
           a.employee_no,
           pg_temp.seed_u(c.id * 4 + p.k, $1 * 16 + 13) < p.rate AS granted,
           pg_temp.seed_u(c.id * 4 + p.k, $1 * 16 + 14) AS r_withdraw,
           pg_temp.seed_u(c.id * 4 + p.k, $1 * 16 + 15) AS r_regrant,
           pg_temp.seed_u(c.id * 4 + p.k, $1 * 16 + 6) AS r_t1,
           pg_temp.seed_u(c.id * 4 + p.k, $1 * 16 + 7) AS r_t2
    FROM customer c
    LEFT JOIN advisor a ON a.id = c.advisor_id
    CROSS JOIN (VALUES (1, 'profiling', 0.93), (2, 'marketing', 0.72),
                       (3, 'partner_sharing', 0.33)) AS p(k, purpose, rate)
    WHERE c.id BETWEEN $3 AND $4
), timed AS (
    SELECT *, onboarded_at + r_t1 * ($2 - onboarded_at) AS t1 FROM base
)
SELECT customer_id, purpose, 1 AS step, granted, channel AS source,
       CASE WHEN channel IN ('branch', 'crm') THEN employee_no ELSE 'customer' END AS actor,
       onboarded_at AS occurred_at
FROM timed
UNION ALL
SELECT customer_id, purpose, 2, false, CASE WHEN r_t2 < 0.5 THEN 'app' ELSE 'web' END,
       'customer', t1
FROM timed WHERE granted AND r_withdraw < {WITHDRAW_SHARE}
UNION ALL
SELECT customer_id, purpose, 3, true, CASE WHEN r_t2 < 0.5 THEN 'app' ELSE 'web' END,
       'customer', t1 + r_t2 * ($2 - t1)
FROM timed WHERE granted AND r_withdraw < {WITHDRAW_SHARE} AND r_regrant < {REGRANT_SHARE}
"""

_EVENTS = """
INSERT INTO consent_event (customer_id, purpose, granted, source, actor, occurred_at, recorded_at)
SELECT customer_id, purpose, granted, source, actor, occurred_at, occurred_at
FROM seed_consent_steps ORDER BY customer_id, purpose, step
"""

_CURRENT = """
INSERT INTO consent (customer_id, purpose, granted, source, updated_at)
SELECT DISTINCT ON (customer_id, purpose) customer_id, purpose, granted, source, occurred_at
FROM seed_consent_steps ORDER BY customer_id, purpose, step DESC
"""


async def consents(
    conn: asyncpg.Connection, seed: int, now: datetime, lo: int, hi: int
) -> tuple[int, int]:
    """Consent events and current consents for customers ``lo``..``hi``: (events, current)."""
    await conn.execute(_STEPS, seed, now, lo, hi)
    events = int((await conn.execute(_EVENTS)).rsplit(" ", 1)[-1])
    current = int((await conn.execute(_CURRENT)).rsplit(" ", 1)[-1])
    await conn.execute("DROP TABLE seed_consent_steps")
    return events, current
