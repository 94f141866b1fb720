"""The typed reasons a row is rejected."""

from __future__ import annotations

from typing import Literal

RejectCode = Literal[
    "required",
    "too_long",
    "name_invalid",
    "phone_invalid",
    "email_invalid",
    "date_invalid",
    "date_out_of_range",
    "amount_invalid",
    "amount_negative",
    "gender_invalid",
    "risk_level_invalid",
    "investor_class_invalid",
    "id_type_invalid",
    "id_number_format",
    "id_number_checksum",
    "id_number_region",
    "id_number_birth_date",
    "id_birth_date_mismatch",
    "id_gender_mismatch",
    "enum_invalid",
    "granted_invalid",
    "properties_invalid",
    "duplicate_in_batch",
    "unknown_customer",
    "unknown_product",
    "row_invalid",
]


class Rejection(Exception):
    """A value or row that cannot be accepted: which field, why (code) and in words."""

    def __init__(self, field: str | None, code: RejectCode, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.code: RejectCode = code
        self.reason = reason

    def on(self, field: str) -> Rejection:
        """The same rejection attributed to ``field`` (value rules do not know their column)."""
        return Rejection(field, self.code, self.reason)

    @classmethod
    def of_row(cls, problems: list[Rejection]) -> Rejection:
        """One rejection for every problem of a row: the first one's field and code, and
        each problem, with its field and code, in the reason."""
        first = problems[0]
        if len(problems) == 1:
            return first
        reason = "; ".join(f"{p.field} ({p.code}): {p.reason}" for p in problems)
        return cls(first.field, first.code, reason)
