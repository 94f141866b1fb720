"""Why a customer has a tag (or not): stored evidence, and a fresh look on demand.

A stored value keeps the evidence of the run that last changed it: the attribute
values its rule saw and, for a ``case`` rule, the branch that fired. ``explain``
returns that. ``explain_now`` evaluates the tag's current rule for one customer
against today's data without writing anything, which also answers "why not?"
for a customer who does not have the tag.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from cdp.db.models import Customer, TagValue
from cdp.errors import NotFound
from tagging.compiler import FeatureColumns, compile_rule
from tagging.definitions import get_tag, value_kind
from tagging.engine.evaluate import profiling_allowed, stored_tag_values
from tagging.features import feature_query
from tagging.language import check_rule


@dataclass(frozen=True)
class Explanation:
    key: str
    name_zh: str
    rule: str | None
    has_tag: bool
    value: Any
    evidence: dict[str, Any]
    version: int | None
    run_id: int | None
    computed_at: datetime | None
    profiled: bool = True

    @property
    def lines(self) -> list[str]:
        """The evidence as a person reads it: ``aum = 6,120,000``, the branch last."""
        return format_evidence(self.evidence)


def _number(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return str(value)
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{float(value):,.4f}".rstrip("0")


def format_evidence(evidence: dict[str, Any]) -> list[str]:
    lines = [
        f"{label} = {'null' if value is None else _number(value)}"
        for label, value in evidence.items()
        if label != "branch"
    ]
    if "branch" in evidence:
        lines.append(f"branch: {evidence['branch']}")
    return lines


async def _customer(session: AsyncSession, customer_id: int) -> None:
    if await session.get(Customer, customer_id) is None:
        raise NotFound(f"no customer {customer_id}")


async def explain(session: AsyncSession, customer_id: int, key: str) -> Explanation:
    """The stored value of ``key`` for the customer with the evidence it was computed from."""
    definition = await get_tag(session, key)
    await _customer(session, customer_id)
    row = await session.get(TagValue, (definition.id, customer_id))
    if row is None:
        return Explanation(
            key, definition.name_zh, definition.rule, False, None, {}, None, None, None
        )
    return Explanation(
        key,
        definition.name_zh,
        definition.rule,
        True,
        row.value,
        row.evidence,
        row.version,
        row.run_id,
        row.updated_at,
    )


async def explain_now(
    session: AsyncSession, customer_id: int, key: str, *, as_of: datetime | None = None
) -> Explanation:
    """Evaluate the tag's rule for one customer now, writing nothing."""
    definition = await get_tag(session, key)
    await _customer(session, customer_id)
    if definition.rule is None:  # a manual tag: what people set is the explanation
        return await explain(session, customer_id, key)
    known = {definition.key: value_kind(definition)}
    for dep in definition.dependencies:
        known[dep] = value_kind(await get_tag(session, dep))
    typed = check_rule(definition.rule, value_type=value_kind(definition), known_tags=known)
    compiled = compile_rule(typed)
    query = feature_query(
        compiled.aggregates,
        as_of=as_of or datetime.now(UTC),
        customer_ids=select(literal(customer_id)),
        tag_values=stored_tag_values(),
    ).subquery("f")
    f = FeatureColumns(query)
    evidence = compiled.evidence(f)
    row = (
        await session.execute(
            select(
                compiled.value(f),
                profiling_allowed(f.customer_id),
                *(column for _, column in evidence),
            )
        )
    ).one()
    value, profiled, *seen = row
    values = {label: _plain(v) for (label, _), v in zip(evidence, seen, strict=True)}
    return Explanation(
        key,
        definition.name_zh,
        definition.rule,
        bool(profiled) and value is not None,
        value if profiled else None,
        values,
        definition.version,
        None,
        None,
        profiled=bool(profiled),
    )


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value
