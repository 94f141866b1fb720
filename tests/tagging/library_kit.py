"""Hand-built customers for the library's tests, and the check that runs them.

A ``Person`` says what a customer holds, did and is, and which tags (with which
values) it must get among the tags under test; every tag under test that a
person does not list, it must not get. Runs use a fixed ``AS_OF`` so day
boundaries are exact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from cdp.db.engine import AsyncWriteSession, Database
from cdp.db.models import Customer
from tagging.engine import run_tags
from tagging.library import install_library
from tests.factories import (
    create_consent,
    create_customer,
    create_holding,
    create_household,
    create_interaction,
    create_product,
    create_referral,
    create_transaction,
)
from tests.tagging.tagkit import values_of

AS_OF = datetime(2026, 6, 30, 12, 0, tzinfo=UTC)


def days_ago(n: float) -> datetime:
    return AS_OF - timedelta(days=n)


def born(years: int, days: int = 0) -> date:
    """A birth date that makes the customer ``years`` old on ``AS_OF`` (minus ``days``)."""
    return AS_OF.date().replace(year=AS_OF.year - years) + timedelta(days=days)


@dataclass
class H:
    """A holding."""

    value: float
    category: str = "mutual_fund"
    risk: int = 3
    opened: float = 400  # days ago
    term: int | None = None
    expected_yield: float | None = None


@dataclass
class T:
    """A transaction."""

    kind: str
    amount: float = 1000
    days: float = 10
    channel: str = "app"
    category: str | None = None


@dataclass
class Person:
    name: str
    expect: dict[str, Any] = field(default_factory=dict)
    holdings: list[H] = field(default_factory=list)
    txs: list[T] = field(default_factory=list)
    events: Sequence[tuple[str, float]] = field(default_factory=list)  # (kind, days ago)
    referrals: list[float] = field(default_factory=list)  # days ago
    household: str | None = None
    consent: bool = True
    customer: dict[str, Any] = field(default_factory=dict)


async def _product(session: AsyncWriteSession, category: str, risk: int, **kw: Any) -> Any:
    return await create_product(session, category=category, risk_rating=risk, **kw)


async def build(session: AsyncWriteSession, person: Person) -> Customer:
    defaults: dict[str, Any] = {
        "onboarded_at": days_ago(1000),
        "risk_assessed_at": date(2026, 1, 1),
    }
    customer = await create_customer(session, **(defaults | person.customer))
    if person.consent:
        await create_consent(session, customer, "profiling")
    for h in person.holdings:
        product = await _product(
            session,
            h.category,
            h.risk,
            term_days=h.term,
            expected_yield=None if h.expected_yield is None else Decimal(str(h.expected_yield)),
        )
        await create_holding(
            session,
            customer,
            product,
            market_value=Decimal(str(h.value)),
            opened_at=days_ago(h.opened),
        )
    for t in person.txs:
        product = await _product(session, t.category, 2) if t.category else None
        await create_transaction(
            session,
            customer,
            product,
            kind=t.kind,
            amount=Decimal(str(t.amount)),
            occurred_at=days_ago(t.days),
            channel=t.channel,
        )
    for kind, days in person.events:
        await create_interaction(session, customer, kind=kind, occurred_at=days_ago(days))
    for days in person.referrals:
        referee = await create_customer(session)
        await create_referral(session, customer, referee, referred_at=days_ago(days))
    return customer


async def check_tags(
    session: AsyncWriteSession, db: Database, keys: list[str], people: list[Person]
) -> None:
    """Install the library, build the people, run ``keys``; compare with expectations."""
    await install_library(session, actor="test")
    built: dict[str, Customer] = {}
    households: dict[str, list[Customer]] = {}
    for person in people:
        built[person.name] = await build(session, person)
        if person.household:
            households.setdefault(person.household, []).append(built[person.name])
    for members in households.values():
        await create_household(
            session, [(c, "self" if i == 0 else "spouse") for i, c in enumerate(members)]
        )
    report = await run_tags(db, keys=keys, as_of=AS_OF)
    assert report.status == "succeeded"
    names = {c.id: name for name, c in built.items()}
    problems: list[str] = []
    for key in keys:
        got = {names[cid]: v for cid, v in (await values_of(session, key)).items() if cid in names}
        wanted = {p.name: p.expect[key] for p in people if key in p.expect}
        if got != wanted:
            problems.append(f"{key}: expected {wanted}, got {got}")
    assert not problems, "\n".join(problems)
