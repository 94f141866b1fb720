"""A customer record as a source system sends it (the ``customers`` import format)."""

from __future__ import annotations

import strawberry

_SPELLINGS = "accepted in the same spellings as in import files"


@strawberry.input(
    description="A customer record from a source system. Values are normalised exactly as "
    "in file imports; see docs/import-formats.md (customers)."
)
class CustomerInput:
    source_key: str = strawberry.field(
        description="The record's key in the source system (at most 128 characters); "
        "unique per source. Holdings, transactions, interactions and consents refer to "
        "it as their customerKey."
    )
    name: str = strawberry.field(description="Full name; digits and symbols are rejected.")
    gender: str | None = strawberry.field(
        default=None, description=f"M or F ({_SPELLINGS}: 男, female, 1, …)."
    )
    birth_date: str | None = strawberry.field(
        default=None, description=f"Date of birth ({_SPELLINGS}: 2024-01-02, 2024年1月2日, …)."
    )
    id_type: str | None = strawberry.field(
        default=None, description="ID document type; default resident ID card (身份证)."
    )
    id_number: str | None = strawberry.field(
        default=None,
        description="ID document number; verified, then stored encrypted, never in clear.",
    )
    phone: str | None = strawberry.field(
        default=None, description=f"Mainland mobile number ({_SPELLINGS}: +86 138-0013-8000, …)."
    )
    email: str | None = strawberry.field(default=None, description="E-mail address.")
    province: str | None = strawberry.field(default=None, description="Province of residence.")
    city: str | None = strawberry.field(default=None, description="City of residence.")
    occupation: str | None = strawberry.field(default=None, description="Occupation.")
    annual_income: str | None = strawberry.field(
        default=None, description=f"Annual income in yuan ({_SPELLINGS}: 1,234.5, 12万, …)."
    )
    risk_level: str | None = strawberry.field(
        default=None, description=f"Risk tolerance C1–C5 ({_SPELLINGS}: R3, 3, 平衡型, …)."
    )
    risk_assessed_at: str | None = strawberry.field(
        default=None, description="Date of the risk assessment that gave riskLevel."
    )
    investor_class: str | None = strawberry.field(
        default=None, description="ordinary (default) or professional (专业投资者, P, …)."
    )
    advisor_no: str | None = strawberry.field(
        default=None,
        description="Employee number of the relationship manager; an unknown number "
        "keeps the record and leaves the advisor empty.",
    )
    branch: str | None = strawberry.field(default=None, description="Branch of the account.")
    onboarded_at: str | None = strawberry.field(
        default=None, description="When the customer was onboarded (a timestamp)."
    )
    updated_at: str | None = strawberry.field(
        default=None,
        description="When the source last changed the record; drives recency in "
        "survivorship (empty: the time it is received).",
    )
