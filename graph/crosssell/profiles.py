"""What the filters need to know about a customer, read fresh from the database.

Suitability, consent and liquid assets change outside the graph (a reassessment,
a withdrawn consent, a redemption) and a stale value would break a rule rather
than merely lower a score, so they are read per request (one statement for any
number of customers) instead of being kept in the snapshot.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import BigInteger, String

from cdp.db.engine import read

# Redeemable without waiting for a term to end or paying a surrender charge.
LIQUID_CATEGORIES = ("deposit", "wealth_management", "mutual_fund", "bond")


@dataclass(frozen=True)
class Profile:
    customer_id: int
    customer_no: str
    status: str
    risk_level: int | None
    risk_assessed_at: date | None
    professional: bool
    liquid_assets: float
    marketing_allowed: bool  # opt-out: only an explicit withdrawal says no


_PROFILES = text(
    """
    SELECT c.id, c.customer_no, c.status, c.risk_level, c.risk_assessed_at,
           c.investor_class = 'professional',
           coalesce((SELECT sum(h.market_value) FROM holding h JOIN product p ON p.id = h.product_id
                      WHERE h.customer_id = c.id AND p.category = ANY(:liquid)), 0),
           NOT EXISTS (SELECT 1 FROM consent k WHERE k.customer_id = c.id
                        AND k.purpose = 'marketing' AND NOT k.granted)
      FROM customer c
     WHERE c.id = ANY(:ids) OR c.customer_no = ANY(:nos)
    """
).bindparams(
    bindparam("ids", type_=ARRAY(BigInteger)),
    bindparam("nos", type_=ARRAY(String)),
    bindparam("liquid", value=list(LIQUID_CATEGORIES), type_=ARRAY(String)),
)


async def load_profiles(
    session: AsyncSession, ids: Sequence[int] = (), customer_nos: Sequence[str] = ()
) -> dict[int, Profile]:
    rows = await read(session, _PROFILES, {"ids": list(ids), "nos": list(customer_nos)})
    return {
        r[0]: Profile(r[0], r[1], r[2], r[3], r[4], bool(r[5]), float(r[6]), bool(r[7]))
        for r in rows
    }


_NUMBERS = text("SELECT id, customer_no FROM customer WHERE id = ANY(:ids)").bindparams(
    bindparam("ids", type_=ARRAY(BigInteger))
)


async def customer_numbers(session: AsyncSession, ids: Sequence[int]) -> dict[int, str]:
    """Customer numbers for display (the graph itself keys on ids)."""
    return {r[0]: r[1] for r in await read(session, _NUMBERS, {"ids": list(ids)})}
