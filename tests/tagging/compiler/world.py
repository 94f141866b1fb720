"""Hand-built customers written to PostgreSQL and mirrored as reference ``Facts``.

Boundaries are the point: a 65th birthday on the run's day, a risk assessment
exactly a year old, transactions on both sides of a 90-day window, a holding
worth exactly 6,000,000, a merged customer, households, other tags' values.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, String, column, values
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.expression import Values

from tests.factories import (
    create_customer,
    create_holding,
    create_household,
    create_interaction,
    create_product,
    create_referral,
    create_transaction,
)
from tests.tagging.compiler.reference import Facts

AS_OF = datetime(2025, 6, 30, 12, 0, tzinfo=UTC)
TODAY = AS_OF.date()

_FIELDS = (
    "customer_no", "name", "gender", "birth_date", "phone", "email", "province", "city",
    "occupation", "annual_income", "risk_level", "risk_assessed_at", "investor_class",
    "branch", "onboarded_at", "status",
)  # fmt: skip

_PEOPLE: list[dict[str, Any]] = [
    {"birth_date": date(1960, 6, 30), "risk_level": 2, "risk_assessed_at": date(2024, 6, 30),
     "city": "上海市", "annual_income": Decimal("800000"), "email": "a@example.com"},
    {"birth_date": date(1960, 7, 1), "risk_level": 5, "risk_assessed_at": date(2024, 7, 1),
     "city": "北京市", "gender": "M", "investor_class": "professional"},
    {"birth_date": None, "risk_level": None, "risk_assessed_at": None, "city": None,
     "gender": None, "annual_income": None},
    {"birth_date": date(1990, 2, 28), "risk_level": 1, "risk_assessed_at": date(2025, 1, 1),
     "city": "深圳市", "annual_income": Decimal("120000.50"), "occupation": "教师"},
    {"birth_date": date(1975, 12, 31), "risk_level": 3, "risk_assessed_at": date(2023, 3, 3),
     "city": "上海市", "annual_income": Decimal("0"), "status": "dormant"},
    {"birth_date": date(1985, 5, 5), "risk_level": 4, "risk_assessed_at": date(2025, 6, 1),
     "city": "杭州市", "annual_income": Decimal("2500000"), "gender": "M"},
    {"birth_date": date(2000, 1, 1), "risk_level": 3, "risk_assessed_at": date(2025, 6, 29),
     "city": "上海市", "status": "closed"},
    {"birth_date": date(1950, 1, 1), "risk_level": 2, "status": "merged"},
    {"birth_date": date(1970, 8, 8), "risk_level": 3, "risk_assessed_at": date(2024, 12, 12),
     "city": "广州市", "annual_income": Decimal("600000")},
]  # fmt: skip


async def build_world(session: AsyncSession) -> tuple[list[Facts], Values]:
    """The customers (as reference facts) and a ``tag_values`` relation."""
    products = {
        key: await create_product(
            session,
            category=category,
            risk_rating=rating,
            term_days=term,
            status="on_sale",
            currency="CNY",
            expected_yield=None,
        )
        for key, category, rating, term in (
            ("fund_r4", "mutual_fund", 4, None),
            ("fund_r2", "mutual_fund", 2, None),
            ("deposit", "deposit", 1, 365),
            ("wm_r3", "wealth_management", 3, 30),
            ("insurance", "insurance", 5, None),
        )
    }
    facts: list[Facts] = []
    customers = []
    for n, person in enumerate(_PEOPLE):
        overrides = {
            "gender": "F",
            "investor_class": "ordinary",
            "status": "active",
            "email": None,
            "occupation": None,
            "annual_income": Decimal("300000"),
            "branch": "上海分行" if n % 2 else "北京分行",
            "onboarded_at": AS_OF - timedelta(days=30 * n + 1),
        } | person
        id_number = "110101196006300012" if n == 0 else None
        customer = await create_customer(session, id_number=id_number, **overrides)
        customers.append(customer)
        row = {name: getattr(customer, name) for name in _FIELDS}
        row["id_number"] = customer.id_number_enc
        facts.append(Facts(customer.id, row, {s: [] for s in _SOURCES}))

    async def hold(i: int, key: str, value: str, opened: datetime) -> None:
        product = products[key]
        await create_holding(
            session, customers[i], product, market_value=Decimal(value), opened_at=opened
        )
        facts[i].rows["holdings"].append(
            {"market_value": Decimal(value), "units": Decimal("1000"), "cost": Decimal("9000"),
             "opened_at": opened, **_product_row(product)}
        )  # fmt: skip

    await hold(0, "fund_r4", "6000000", AS_OF - timedelta(days=400))
    await hold(0, "deposit", "250000.25", AS_OF - timedelta(days=340))
    await hold(1, "insurance", "5999999.99", AS_OF - timedelta(days=10))
    await hold(3, "fund_r2", "480000", AS_OF - timedelta(days=20))
    await hold(3, "wm_r3", "20000", AS_OF - timedelta(days=29))
    await hold(4, "deposit", "0", AS_OF - timedelta(days=365))
    await hold(5, "fund_r4", "1500000", AS_OF - timedelta(days=1000))
    await hold(5, "wm_r3", "700000", AS_OF - timedelta(days=5))
    await hold(7, "fund_r2", "99999", AS_OF - timedelta(days=3))
    await hold(8, "insurance", "300000", AS_OF - timedelta(days=200))

    async def trade(i: int, kind: str, amount: str, at: datetime, key: str | None = None) -> None:
        product = products[key] if key else None
        await create_transaction(
            session, customers[i], product, kind=kind, amount=Decimal(amount), occurred_at=at,
            channel="app",
        )  # fmt: skip
        facts[i].rows["transactions"].append(
            {"kind": kind, "amount": Decimal(amount), "channel": "app", "occurred_at": at,
             **(_product_row(product) if product else _NO_PRODUCT)}
        )  # fmt: skip

    ninety = AS_OF - timedelta(days=90)
    await trade(0, "purchase", "1000", ninety, "fund_r4")  # exactly on the edge: outside
    await trade(0, "purchase", "2000", ninety + timedelta(seconds=1), "fund_r4")
    await trade(0, "purchase", "3000", AS_OF - timedelta(days=1), "deposit")
    await trade(0, "redemption", "500000", AS_OF - timedelta(days=2), "fund_r4")
    await trade(1, "purchase", "10", AS_OF + timedelta(days=1), "insurance")  # after as_of
    await trade(1, "dividend", "99.5", AS_OF - timedelta(days=200))
    await trade(3, "purchase", "480000", AS_OF - timedelta(days=20), "fund_r2")
    await trade(3, "purchase", "20000", AS_OF - timedelta(days=29), "wm_r3")
    await trade(3, "purchase", "1", AS_OF - timedelta(days=60), "wm_r3")
    await trade(4, "withdrawal", "70000", AS_OF - timedelta(days=400))
    await trade(5, "redemption", "1200000", AS_OF - timedelta(days=15), "fund_r4")
    await trade(8, "purchase", "300000", AS_OF - timedelta(days=181), "insurance")

    async def event(i: int, kind: str, at: datetime) -> None:
        await create_interaction(session, customers[i], kind=kind, occurred_at=at)
        facts[i].rows["interactions"].append({"kind": kind, "occurred_at": at})

    await event(0, "login", AS_OF - timedelta(days=3))
    await event(0, "login", AS_OF - timedelta(days=40))
    await event(3, "complaint", AS_OF - timedelta(days=10))
    await event(3, "complaint", AS_OF - timedelta(days=100))
    await event(5, "product_view", AS_OF - timedelta(hours=1))
    await event(8, "login", AS_OF - timedelta(days=31))

    for referrer, referee, days in ((0, 2, 10), (0, 3, 400), (0, 4, 50), (5, 6, 5)):
        at = AS_OF - timedelta(days=days)
        await create_referral(session, customers[referrer], customers[referee], referred_at=at)
        facts[referrer].rows["referrals"].append({"channel": "friend", "referred_at": at})

    for members in ((0, 1, 2), (5, 6)):
        household = await create_household(
            session, [(customers[i], "self" if k == 0 else "spouse") for k, i in enumerate(members)]
        )
        for i in members:
            facts[i].household = household.id

    tag_rows = [(0, "vip", "true"), (0, "score", "7.5"), (0, "tier", "高净值"),
                (1, "score", "3"), (3, "tier", "潜力"), (5, "vip", "true")]  # fmt: skip
    for i, key, value in tag_rows:
        facts[i].tags[key] = value
    relation = values(
        column("customer_id", BigInteger),
        column("tag_key", String),
        column("value", String),
        name="tag_values",
    ).data([(customers[i].id, key, value) for i, key, value in tag_rows])
    return facts, relation


_SOURCES = ("holdings", "transactions", "interactions", "referrals")
_PRODUCT_FIELDS = ("code", "category", "risk_rating", "term_days", "expected_yield",
                   "min_investment", "status", "currency")  # fmt: skip
_NO_PRODUCT = {f"product.{name}": None for name in _PRODUCT_FIELDS}


def _product_row(product: Any) -> dict[str, Any]:
    row = {f"product.{name}": getattr(product, name) for name in _PRODUCT_FIELDS}
    row["product.min_investment"] = Decimal(row["product.min_investment"])
    return row
