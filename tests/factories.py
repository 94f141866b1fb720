"""Typed async factories: each creates one valid row with overridable fields."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from cdp.crypto import get_cipher
from cdp.db.models import (
    Advisor,
    Consent,
    Customer,
    Holding,
    Household,
    HouseholdMember,
    InteractionEvent,
    Product,
    Referral,
    Transaction,
)

_seq = itertools.count(1)


def _next() -> int:
    return next(_seq)


async def create_advisor(session: AsyncSession, **overrides: Any) -> Advisor:
    n = _next()
    values: dict[str, Any] = {
        "employee_no": f"T-A{n:06d}",
        "name": f"顾问{n}",
        "branch": "上海分行",
    }
    advisor = Advisor(**(values | overrides))
    session.add(advisor)
    await session.flush()
    return advisor


async def create_customer(
    session: AsyncSession, *, id_number: str | None = None, **overrides: Any
) -> Customer:
    n = _next()
    cipher = get_cipher()
    values: dict[str, Any] = {
        "customer_no": f"T{n:09d}",
        "name": f"测试{n}",
        "gender": "F",
        "birth_date": date(1980, 1, 1),
        "phone": f"139{n:08d}",
        "phone_hash": cipher.keyed_hash(f"139{n:08d}"),
        "province": "上海市",
        "city": "上海市",
        "risk_level": 3,
        "onboarded_at": datetime(2024, 1, 1, tzinfo=UTC),
    }
    if id_number is not None:
        values["id_number_enc"] = cipher.encrypt(id_number)
        values["id_number_hash"] = cipher.keyed_hash(id_number)
    customer = Customer(**(values | overrides))
    session.add(customer)
    await session.flush()
    return customer


async def create_product(session: AsyncSession, **overrides: Any) -> Product:
    n = _next()
    values: dict[str, Any] = {
        "code": f"TP{n:06d}",
        "name": f"测试产品{n}",
        "category": "mutual_fund",
        "risk_rating": 3,
        "min_investment": Decimal("1000"),
        "launched_at": date(2023, 1, 1),
    }
    product = Product(**(values | overrides))
    session.add(product)
    await session.flush()
    return product


async def create_holding(
    session: AsyncSession, customer: Customer, product: Product, **overrides: Any
) -> Holding:
    values: dict[str, Any] = {
        "customer_id": customer.id,
        "product_id": product.id,
        "units": Decimal("1000"),
        "market_value": Decimal("10000.00"),
        "cost": Decimal("9000.00"),
        "opened_at": datetime(2024, 6, 1, tzinfo=UTC),
    }
    holding = Holding(**(values | overrides))
    session.add(holding)
    await session.flush()
    return holding


async def create_household(
    session: AsyncSession, members: list[tuple[Customer, str]], **overrides: Any
) -> Household:
    n = _next()
    household = Household(**({"household_no": f"TH{n:08d}", "name": f"家庭{n}"} | overrides))
    session.add(household)
    await session.flush()
    for customer, relation in members:
        session.add(
            HouseholdMember(customer_id=customer.id, household_id=household.id, relation=relation)
        )
    await session.flush()
    return household


async def create_customers(session: AsyncSession, count: int, **overrides: Any) -> list[Customer]:
    """``count`` customers in one flush (for lists and pagination)."""
    customers = []
    for _ in range(count):
        n = _next()
        values: dict[str, Any] = {
            "customer_no": f"T{n:09d}",
            "name": f"测试{n}",
            "birth_date": date(1980, 1, 1),
            "risk_level": 3,
            "onboarded_at": datetime(2024, 1, 1, tzinfo=UTC),
        }
        customers.append(Customer(**(values | overrides)))
    session.add_all(customers)
    await session.flush()
    return customers


async def create_referral(
    session: AsyncSession, referrer: Customer, referee: Customer, **overrides: Any
) -> Referral:
    values: dict[str, Any] = {
        "referrer_id": referrer.id,
        "referee_id": referee.id,
        "referred_at": datetime(2024, 3, 1, tzinfo=UTC),
        "channel": "friend",
    }
    referral = Referral(**(values | overrides))
    session.add(referral)
    await session.flush()
    return referral


async def create_consent(
    session: AsyncSession, customer: Customer, purpose: str, **overrides: Any
) -> Consent:
    values: dict[str, Any] = {
        "customer_id": customer.id,
        "purpose": purpose,
        "granted": True,
        "source": "app",
        "updated_at": datetime(2024, 2, 1, tzinfo=UTC),
    }
    consent = Consent(**(values | overrides))
    session.add(consent)
    await session.flush()
    return consent


async def create_transaction(
    session: AsyncSession, customer: Customer, product: Product | None = None, **overrides: Any
) -> Transaction:
    values: dict[str, Any] = {
        "customer_id": customer.id,
        "product_id": product.id if product else None,
        "kind": "purchase",
        "amount": Decimal("1000.00"),
        "channel": "app",
        "occurred_at": datetime(2024, 6, 1, tzinfo=UTC),
    }
    transaction = Transaction(**(values | overrides))
    session.add(transaction)
    await session.flush()
    return transaction


async def create_interaction(
    session: AsyncSession, customer: Customer, **overrides: Any
) -> InteractionEvent:
    values: dict[str, Any] = {
        "customer_id": customer.id,
        "kind": "login",
        "occurred_at": datetime(2024, 6, 1, tzinfo=UTC),
        "properties": {},
    }
    event = InteractionEvent(**(values | overrides))
    session.add(event)
    await session.flush()
    return event
