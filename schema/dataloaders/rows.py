"""Rows to objects: every object the API returns is built here or in ``assemble``.

Each builder passes the field values through ``policy.project`` (the permission
seam) before constructing the object, and computes derived fields once, so that
every field is a plain attribute when graphql-core reads it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cdp.customers.holdings import PRODUCT_PREFIX
from cdp.keyset import AnyRow
from schema.permissions import FieldPolicy
from schema.relay import global_id
from schema.types.advisor import Advisor
from schema.types.consent import Consent
from schema.types.holding import Holding
from schema.types.interaction_event import InteractionEvent
from schema.types.product import Product
from schema.types.tag import Tag, tag_value_text
from schema.types.transaction import Transaction
from tagging.explain import format_evidence
from tagging.store import CurrentTag

_HOLDING_FIELDS = ("units", "market_value", "cost", "opened_at", "updated_at")
_PRODUCT_FIELDS = (
    "code",
    "name",
    "category",
    "risk_rating",
    "min_investment",
    "term_days",
    "expected_yield",
    "currency",
    "status",
    "launched_at",
)


def positions(row: AnyRow) -> dict[str, int]:
    """Column name -> index in ``row`` (and every row of its result). Indexing a row
    costs a tenth of reading a column by attribute or through ``_mapping``, which
    counts at a hundred rows of twenty columns per request."""
    return {name: i for i, name in enumerate(row._fields)}


def product(
    row: Any, policy: FieldPolicy, prefix: str = "", at: dict[str, int] | None = None
) -> Product:
    """A product from its columns, optionally under a prefix (joined into another row);
    ``at`` are the row's ``positions`` when the caller has them."""
    at = at if at is not None else positions(row)
    pk = row[at[prefix + "id"]]
    values = {name: row[at[prefix + name]] for name in _PRODUCT_FIELDS}
    values["id"] = global_id("Product", pk, policy.audience)
    values["pk"] = pk
    values["risk_rating_label"] = f"R{values['risk_rating']}"
    return Product(**policy.project("Product", values))


def holdings(lists: Sequence[Sequence[AnyRow]], policy: FieldPolicy) -> list[list[Holding]]:
    """Holdings with their products, per list of rows; one object per product."""
    first = next((rs[0] for rs in lists if rs), None)
    if first is None:
        return [[] for _ in lists]
    at = positions(first)
    pid_at = at[PRODUCT_PREFIX + "id"]
    columns = [(name, at[name]) for name in _HOLDING_FIELDS]
    products: dict[int, Product] = {}
    out = []
    for rows in lists:
        held = []
        for r in rows:
            pid = r[pid_at]
            p = products.get(pid)
            if p is None:
                p = products[pid] = product(r, policy, PRODUCT_PREFIX, at)
            values = {name: r[i] for name, i in columns}
            values["product"] = p
            held.append(Holding(**policy.project("Holding", values)))
        out.append(held)
    return out


def transaction(row: AnyRow, policy: FieldPolicy) -> Transaction:
    has_product = row._mapping[PRODUCT_PREFIX + "id"] is not None
    values = {
        "kind": row.kind,
        "amount": row.amount,
        "channel": row.channel,
        "occurred_at": row.occurred_at,
        "product": product(row, policy, PRODUCT_PREFIX) if has_product else None,
    }
    return Transaction(**policy.project("Transaction", values))


def interaction(row: AnyRow, policy: FieldPolicy) -> InteractionEvent:
    values = {"kind": row.kind, "occurred_at": row.occurred_at, "properties": row.properties}
    return InteractionEvent(**policy.project("InteractionEvent", values))


def consent(row: AnyRow, policy: FieldPolicy) -> Consent:
    values = {
        "purpose": row.purpose,
        "granted": row.granted,
        "source": row.source,
        "updated_at": row.updated_at,
    }
    return Consent(**policy.project("Consent", values))


def tag(current: CurrentTag, policy: FieldPolicy, *, evidence: bool) -> Tag:
    """``evidence``: whether the caller may see the attribute values the rule saw
    (else evidence and explanation are null)."""
    lines = format_evidence(current.evidence) if evidence else None
    values = {
        "key": current.key,
        "name": current.name_zh,
        "name_en": current.name_en,
        "category": current.category,
        "value": tag_value_text(current.value),
        "since": current.updated_at,
        "version": current.version,
        "source": current.source,
        "evidence": lines,
        "explanation": None if lines is None else "; ".join(lines),
    }
    return Tag(**policy.project("Tag", values))


def advisor(row: AnyRow, policy: FieldPolicy) -> Advisor:
    values = {
        "id": global_id("Advisor", row.id, policy.audience),
        "pk": row.id,
        "employee_no": row.employee_no,
        "name": row.name,
        "branch": row.branch,
    }
    return Advisor(**policy.project("Advisor", values))
