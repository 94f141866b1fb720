"""``Customer.crossSell``: products to propose, each with its score, components and reasons.

Thin over ``GraphService.cross_sell``. Two things are decided here, from the caller:

- **what the ranking may use** (``may_read``): a signal is used only when the
  caller may read every field its reasons reveal (``graph.crosssell.reasons``),
  judged from the caller's compiled field plan; the household signal also needs
  every housemate inside the caller's row scope, since it tells what they hold.
  A signal left out changes neither the reasons nor the order.
- **the purpose**: ``MARKETING`` when the caller asks for it, states it
  (``X-Purpose: marketing``) or has the ``marketer`` role; then a customer who
  withdrew marketing consent gets an empty list and ``withheld`` says why.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry

from graph.crosssell import reasons as rs
from graph.crosssell.service import ADVICE, MARKETING
from graph.crosssell.service import CrossSell as Answer
from schema.graph_access import graph_of, visible
from schema.types.info import Info

MARKETING_ROLES = frozenset({"marketer"})
# Fields only the household signal reveals: it also needs every housemate in scope.
_HOUSEHOLD_ONLY = rs.REVEALS[rs.HOUSEHOLD] - rs.REVEALS[rs.CO_HOLDING]


@strawberry.enum(description="What a cross-sell list is for.")
class CrossSellPurpose(Enum):
    ADVICE = strawberry.enum_value(ADVICE, description="An advisor's suggestion to a customer.")
    MARKETING = strawberry.enum_value(
        MARKETING, description="A marketing campaign: honours the customer's marketing opt-out."
    )


@strawberry.type(description="A named number behind a reason or a score.")
class NamedNumber:
    name: str = strawberry.field(description="What the number is (share, group, members, …).")
    value: float = strawberry.field(description="The number.")


@strawberry.type(description="Why a product is proposed, in words and numbers.")
class CrossSellReason:
    kind: str | None = strawberry.field(description="household, co_holding or similar_customers.")
    text: str | None = strawberry.field(description="The reason in words, e.g. 配偶持有 X.")
    numbers: list[NamedNumber] | None = strawberry.field(description="The numbers it quotes.")


@strawberry.type(description="One proposed product.")
class Recommendation:
    product_code: str | None = strawberry.field(description="The product's code.")
    product_name: str | None = strawberry.field(description="The product's name.")
    score: float | None = strawberry.field(description="The blended score (higher first).")
    components: list[NamedNumber] | None = strawberry.field(
        description="Each signal's value for this product (only signals the caller may see)."
    )
    reasons: list[CrossSellReason] | None = strawberry.field(description="Why, in words.")


@strawberry.type(description="Products to propose to a customer, best first.")
class CrossSell:
    purpose: CrossSellPurpose | None = strawberry.field(description="What the list is for.")
    items: list[Recommendation] | None = strawberry.field(description="Best first.")
    withheld: str | None = strawberry.field(
        description="Why nothing at all is proposed (e.g. marketing consent withdrawn), "
        "null otherwise."
    )
    excluded: list[NamedNumber] | None = strawberry.field(
        description="How many products each hard filter removed (suitability, minimum "
        "investment, not on sale)."
    )


def _numbers(info: Info, values: dict[str, float]) -> list[NamedNumber]:
    project = info.context.policy.project
    return [
        NamedNumber(**project("NamedNumber", {"name": k, "value": v})) for k, v in values.items()
    ]


def _purpose(info: Info, asked: CrossSellPurpose | None) -> str:
    ctx = info.context
    if asked is CrossSellPurpose.MARKETING or ctx.purpose == MARKETING:
        return MARKETING
    if MARKETING_ROLES & set(ctx.principal.roles):
        return MARKETING
    return ADVICE


async def cross_sell_of(
    info: Info, customer_id: int, first: int, asked: CrossSellPurpose | None
) -> CrossSell:
    ctx = info.context
    policy = ctx.policy
    policy.require_read("Customer", "crossSell")
    service = await graph_of(info)
    mates = [m for m, _ in service.state.core.housemates(customer_id)]
    mates_visible = set(mates) <= await visible(info, mates)

    def may_read(name: str) -> bool:
        if name in _HOUSEHOLD_ONLY and not mates_visible:
            return False
        type_name, field = name.split(".", 1)
        return policy.may_read(type_name, field)

    purpose = _purpose(info, asked)
    async with ctx.lock:
        answer = await service.cross_sell(
            customer_id, first, ctx.today, may_read=may_read, purpose=purpose
        )
    _audit(info, answer, customer_id, mates)
    return _build(info, answer, purpose)


def _audit(info: Info, answer: Answer, customer_id: int, mates: list[int]) -> None:
    """A list ranked on holdings reads them: the customer's own, and the housemates'
    when a household reason is shown."""
    if not answer.items:
        return
    kinds = {r.kind for item in answer.items for r in item.reasons}
    readers = [customer_id, *mates] if rs.HOUSEHOLD in kinds else [customer_id]
    info.context.audit.note(["Customer.crossSell"], readers)


def _build(info: Info, answer: Answer, purpose: str) -> CrossSell:
    policy = info.context.policy

    def make(cls: Any, type_name: str, **values: Any) -> Any:
        return cls(**policy.project(type_name, values))

    items = [
        make(
            Recommendation,
            "Recommendation",
            product_code=item.product_code,
            product_name=item.product_name,
            score=item.score,
            components=_numbers(info, item.components),
            reasons=[
                make(
                    CrossSellReason,
                    "CrossSellReason",
                    kind=r.kind,
                    text=r.text,
                    numbers=_numbers(info, r.numbers),
                )
                for r in item.reasons
            ],
        )
        for item in answer.items
    ]
    values = {
        "purpose": CrossSellPurpose(purpose),
        "items": items,
        "withheld": answer.withheld,
        "excluded": _numbers(info, {k: float(v) for k, v in answer.excluded.items()}),
    }
    return CrossSell(**policy.project("CrossSell", values))
