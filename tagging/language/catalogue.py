"""The attribute catalogue: every name a rule may use, its type, and its field.

Three kinds of name:

- customer fields (``risk_level``, ``city``…): columns of the ``customer`` row;
- computed attributes (``age``, ``aum``, ``household.aum``…): numbers the
  feature query computes once per customer;
- aggregate sources (``holdings``, ``transactions``, ``interactions``,
  ``referrals``) with the fields of their rows, usable inside ``count(…)``,
  ``sum(…)`` etc., where ``product.*`` names the product of the row and plain
  customer fields name the customer's own (``product.risk_rating > risk_level``).

Each name lists the GraphQL fields (``Type.field``) it reads: a rule may only
use names whose fields its author may filter on (``PlanPolicy.require_filter``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from cdp.db import enums
from tagging.language.types import BOOLEAN, DATE, NUMBER, OPAQUE, TEXT, ValueType


@dataclass(frozen=True, slots=True)
class Attribute:
    name: str
    type: ValueType
    fields: tuple[str, ...]  # GraphQL Type.field names it reads
    doc: str
    column: str = ""  # the ORM column of a customer field; "" for computed ones


@dataclass(frozen=True, slots=True)
class Source:
    """A table aggregated per customer; ``window`` is the date field ``within`` uses."""

    name: str
    fields: Mapping[str, Attribute]  # row fields, product.* included
    window: str
    permission: str  # the Customer field that lists the rows
    doc: str


def _c(name: str, t: ValueType, field: str, doc: str, column: str | None = None) -> Attribute:
    return Attribute(name, t, (f"Customer.{field}",), doc, column or name)


CUSTOMER_FIELDS: dict[str, Attribute] = {
    a.name: a
    for a in (
        _c("customer_no", TEXT, "customerNo", "customer number"),
        _c("name", TEXT, "name", "full name"),
        _c("gender", ValueType.enum(*enums.GENDERS), "gender", "'M' or 'F'"),
        _c("birth_date", DATE, "birthDate", "date of birth (use days_since or age)"),
        _c("phone", TEXT, "phone", "mobile number"),
        _c("email", TEXT, "email", "e-mail address"),
        _c(
            "id_number",
            OPAQUE,
            "idNumber",
            "ID number: only `is null` / `is not null`",
            "id_number_enc",
        ),
        _c("province", TEXT, "province", "province of residence"),
        _c("city", TEXT, "city", "city of residence"),
        _c("occupation", TEXT, "occupation", "occupation"),
        _c("annual_income", NUMBER, "annualIncome", "declared annual income, yuan"),
        _c("risk_level", NUMBER, "riskLevel", "risk tolerance 1–5 (C1–C5)"),
        _c("risk_assessed_at", DATE, "riskAssessedAt", "date of the last risk assessment"),
        _c(
            "investor_class",
            ValueType.enum(*enums.INVESTOR_CLASSES),
            "investorClass",
            "'ordinary' or 'professional'",
        ),
        _c("branch", TEXT, "branch", "servicing branch"),
        _c("onboarded_at", DATE, "onboardedAt", "when the customer was onboarded"),
        _c(
            "status",
            ValueType.enum(*enums.CUSTOMER_STATUSES),
            "status",
            "'active', 'dormant', 'closed' or 'merged'",
        ),
    )
}

COMPUTED: dict[str, Attribute] = {
    a.name: a
    for a in (
        Attribute("age", NUMBER, ("Customer.age",), "age in whole years on the run's day"),
        Attribute("aum", NUMBER, ("Customer.aum",), "assets under management: market value held"),
        Attribute(
            "days_since_last_transaction",
            NUMBER,
            ("Customer.transactions", "Transaction.occurredAt"),
            "days since the latest transaction (null without any)",
        ),
        Attribute(
            "risk_assessment_expired",
            BOOLEAN,
            ("Customer.riskAssessmentExpired",),
            "no risk assessment, or one older than a year",
        ),
        Attribute(
            "household.aum",
            NUMBER,
            ("Customer.household", "Household.aum"),
            "AUM of the customer's whole household (null without one)",
        ),
        Attribute(
            "household.size",
            NUMBER,
            ("Customer.household", "Household.members"),
            "members of the customer's household (null without one)",
        ),
    )
}


def _row(name: str, t: ValueType, field: str, doc: str) -> Attribute:
    return Attribute(name, t, (field,), doc)


PRODUCT_FIELDS: dict[str, Attribute] = {
    a.name: a
    for a in (
        _row("product.code", TEXT, "Product.code", "product code"),
        _row(
            "product.category",
            ValueType.enum(*enums.PRODUCT_CATEGORIES),
            "Product.category",
            "deposit, wealth_management, mutual_fund, insurance, trust, bond, private_fund",
        ),
        _row("product.risk_rating", NUMBER, "Product.riskRating", "risk rating 1–5 (R1–R5)"),
        _row("product.term_days", NUMBER, "Product.termDays", "term in days (null if open)"),
        _row("product.expected_yield", NUMBER, "Product.expectedYield", "expected yield"),
        _row("product.min_investment", NUMBER, "Product.minInvestment", "minimum investment"),
        _row(
            "product.status",
            ValueType.enum(*enums.PRODUCT_STATUSES),
            "Product.status",
            "on_sale, suspended, closed",
        ),
        _row("product.currency", TEXT, "Product.currency", "currency code, e.g. 'CNY'"),
    )
}

SOURCES: dict[str, Source] = {
    s.name: s
    for s in (
        Source(
            "holdings",
            {
                **{
                    a.name: a
                    for a in (
                        _row("market_value", NUMBER, "Holding.marketValue", "market value"),
                        _row("units", NUMBER, "Holding.units", "units held"),
                        _row("cost", NUMBER, "Holding.cost", "cost"),
                        _row("opened_at", DATE, "Holding.openedAt", "when it was opened"),
                        Attribute(
                            "days_to_maturity",
                            NUMBER,
                            ("Holding.openedAt", "Product.termDays"),
                            "days until opened_at + product.term_days (null if open-ended)",
                        ),
                    )
                },
                **PRODUCT_FIELDS,
            },
            window="opened_at",
            permission="Customer.holdings",
            doc="the customer's positions, one per product",
        ),
        Source(
            "transactions",
            {
                **{
                    a.name: a
                    for a in (
                        _row(
                            "kind",
                            ValueType.enum(*enums.TRANSACTION_KINDS),
                            "Transaction.kind",
                            ", ".join(enums.TRANSACTION_KINDS),
                        ),
                        _row("amount", NUMBER, "Transaction.amount", "amount, yuan"),
                        _row(
                            "channel",
                            ValueType.enum(*enums.CHANNELS),
                            "Transaction.channel",
                            ", ".join(enums.CHANNELS),
                        ),
                        _row("occurred_at", DATE, "Transaction.occurredAt", "when"),
                    )
                },
                **PRODUCT_FIELDS,
            },
            window="occurred_at",
            permission="Customer.transactions",
            doc="purchases, redemptions, deposits… (product.* is null without a product)",
        ),
        Source(
            "interactions",
            {
                a.name: a
                for a in (
                    _row(
                        "kind",
                        ValueType.enum(*enums.INTERACTION_KINDS),
                        "InteractionEvent.kind",
                        ", ".join(enums.INTERACTION_KINDS),
                    ),
                    _row("occurred_at", DATE, "InteractionEvent.occurredAt", "when"),
                )
            },
            window="occurred_at",
            permission="Customer.interactions",
            doc="logins, product views, calls, complaints…",
        ),
        Source(
            "referrals",
            {
                a.name: a
                for a in (
                    _row(
                        "channel",
                        ValueType.enum(*enums.REFERRAL_CHANNELS),
                        "Referral.channel",
                        ", ".join(enums.REFERRAL_CHANNELS),
                    ),
                    _row("referred_at", DATE, "Referral.referredAt", "when"),
                )
            },
            window="referred_at",
            permission="Customer.referrals",
            doc="customers this customer referred",
        ),
    )
}

AGGREGATES = ("count", "exists", "sum", "avg", "min", "max")
FUNCTIONS = ("days_since", "has_tag", "tag", "ntile", "percent_rank", "abs", "coalesce")


def top_level_names() -> list[str]:
    """Every name valid outside an aggregate, for nearest-name hints."""
    return [*CUSTOMER_FIELDS, *COMPUTED, *SOURCES, *AGGREGATES, *FUNCTIONS]
