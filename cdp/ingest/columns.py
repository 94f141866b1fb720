"""The columns each record kind accepts, and which of them a file must carry."""

from __future__ import annotations

from dataclasses import dataclass

from cdp.db.enums import RECORD_KINDS
from cdp.errors import InvalidInput


@dataclass(frozen=True)
class KindColumns:
    required: tuple[str, ...]
    optional: tuple[str, ...]

    @property
    def all(self) -> tuple[str, ...]:
        return self.required + self.optional


COLUMNS: dict[str, KindColumns] = {
    "customers": KindColumns(
        ("source_key", "name"),
        (
            "gender",
            "birth_date",
            "id_type",
            "id_number",
            "phone",
            "email",
            "province",
            "city",
            "occupation",
            "annual_income",
            "risk_level",
            "risk_assessed_at",
            "investor_class",
            "advisor_no",
            "branch",
            "onboarded_at",
            "updated_at",
        ),
    ),
    "holdings": KindColumns(
        ("customer_key", "product_code", "units", "market_value", "opened_at"), ("cost",)
    ),
    "transactions": KindColumns(
        ("source_key", "customer_key", "kind", "amount", "channel", "occurred_at"),
        ("product_code",),
    ),
    "events": KindColumns(("source_key", "customer_key", "kind", "occurred_at"), ("properties",)),
    "consents": KindColumns(("customer_key", "purpose", "granted", "occurred_at"), ("actor",)),
}


def check_kind(kind: str) -> KindColumns:
    if kind not in RECORD_KINDS:
        raise InvalidInput(f"unknown kind {kind!r}; one of: {', '.join(RECORD_KINDS)}")
    return COLUMNS[kind]


def check_header(kind: str, header: list[str]) -> None:
    """A file must name every required column of its kind (extra columns are ignored)."""
    missing = [c for c in check_kind(kind).required if c not in header]
    if missing:
        raise InvalidInput(
            f"the {kind} file lacks required column(s): {', '.join(missing)} "
            f"(found: {', '.join(header) or 'none'})"
        )
