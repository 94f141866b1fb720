"""Survivorship: which source's value the golden customer shows, field by field.

Per field, the non-empty value from the most trusted source wins (``source_trust``
in settings); among equally trusted records, the most recently updated one. Fields
that only make sense together travel together: the ID type with its number, the
risk level with its assessment date. ``onboarded_at`` is the exception: a customer
joined when their first record says so, so the earliest value wins.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from cdp.crypto import Cipher

Payload = dict[str, Any]

GROUPS: tuple[tuple[str, ...], ...] = (
    ("name",),
    ("gender",),
    ("birth_date",),
    ("id_number_hash", "id_type", "id_number_enc"),
    ("phone",),
    ("email",),
    ("province",),
    ("city",),
    ("occupation",),
    ("annual_income",),
    ("risk_level", "risk_assessed_at"),
    ("investor_class",),
    ("advisor_no",),
    ("branch",),
)
# The golden columns survivorship writes, in the order the writers use.
CUSTOMER_COLUMNS: tuple[str, ...] = (
    "name", "gender", "birth_date", "id_type", "id_number_enc", "id_number_hash", "phone",
    "phone_hash", "email", "province", "city", "occupation", "annual_income", "risk_level",
    "risk_assessed_at", "investor_class", "advisor_id", "branch", "onboarded_at",
)  # fmt: skip
# The current golden row takes part with a trust below every source, so a value no
# remaining record supplies is kept rather than blanked.
FALLBACK_TRUST = -(10**9)


@dataclass(frozen=True)
class Contribution:
    trust: int
    recency: str  # ISO-8601 UTC; compares as text
    payload: Mapping[str, Any]


def survive(contributions: Iterable[Contribution]) -> Payload:
    ordered = sorted(contributions, key=lambda c: (c.trust, c.recency), reverse=True)
    golden: Payload = {}
    for group in GROUPS:
        lead = group[0]
        for c in ordered:
            if c.payload.get(lead) not in (None, ""):
                for key in group:
                    golden[key] = c.payload.get(key)
                break
        else:
            for key in group:
                golden[key] = None
    starts = [c.payload["onboarded_at"] for c in ordered if c.payload.get("onboarded_at")]
    golden["onboarded_at"] = min(starts) if starts else None
    return golden


def to_columns(
    golden: Mapping[str, Any], advisors: Mapping[str, int], cipher: Cipher
) -> tuple[Any, ...]:
    """Typed column values (``CUSTOMER_COLUMNS`` order) for the customer table."""
    enc = golden.get("id_number_enc")
    id_hash = golden.get("id_number_hash")
    phone = golden.get("phone")
    income = golden.get("annual_income")
    onboarded = golden.get("onboarded_at")
    return (
        golden["name"],
        golden.get("gender"),
        _date(golden.get("birth_date")),
        golden.get("id_type") or "id_card",
        base64.b64decode(enc) if enc else None,
        bytes.fromhex(id_hash) if id_hash else None,
        phone,
        cipher.keyed_hash(phone) if phone else None,
        golden.get("email"),
        golden.get("province"),
        golden.get("city"),
        golden.get("occupation"),
        Decimal(income) if income is not None else None,
        golden.get("risk_level"),
        _date(golden.get("risk_assessed_at")),
        golden.get("investor_class") or "ordinary",
        advisors.get(golden.get("advisor_no") or ""),
        golden.get("branch"),
        datetime.fromisoformat(onboarded) if onboarded else datetime.now(UTC),
    )


def snapshot(row: Mapping[str, Any]) -> Payload:
    """A golden customer row (with its advisor's ``advisor_no``) as a payload."""
    enc = row.get("id_number_enc")
    id_hash = row.get("id_number_hash")
    income = row.get("annual_income")
    return {
        "name": row["name"],
        "gender": row.get("gender"),
        "birth_date": _iso(row.get("birth_date")),
        "id_type": row.get("id_type") if id_hash else None,
        "id_number_hash": bytes(id_hash).hex() if id_hash else None,
        "id_number_enc": base64.b64encode(bytes(enc)).decode() if enc else None,
        "phone": row.get("phone"),
        "email": row.get("email"),
        "province": row.get("province"),
        "city": row.get("city"),
        "occupation": row.get("occupation"),
        "annual_income": str(income) if income is not None else None,
        "risk_level": row.get("risk_level"),
        "risk_assessed_at": _iso(row.get("risk_assessed_at")),
        "investor_class": row.get("investor_class"),
        "advisor_no": row.get("advisor_no"),
        "branch": row.get("branch"),
        "onboarded_at": _iso(row.get("onboarded_at")),
    }


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _iso(value: date | datetime | None) -> str | None:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value.isoformat() if value is not None else None
