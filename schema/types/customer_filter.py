from __future__ import annotations

from typing import TypeVar

import strawberry

from cdp.customers import filters
from cdp.db.enums import PRODUCT_CATEGORIES
from cdp.errors import InvalidInput
from schema.bounds import AGE, SMALLINT
from schema.relay import parse_global_id
from schema.types.asset_tier import Tier
from schema.types.ranges import DateTimeRange, DecimalRange, IntRange

T = TypeVar("T")

# Filters nest through variables, which no query depth limit sees.
MAX_NESTING = 8

# The Customer field each predicate reads, for the policy's ``filter`` decisions.
_FILTERED_FIELDS = {
    "tiers": "tier",
    "risk_levels": "riskLevel",
    "cities": "city",
    "provinces": "province",
    "advisors": "advisor",
    "branches": "branch",
    "aum": "aum",
    "onboarded": "onboardedAt",
    "age": "age",
    "holds_products": "holdings",
    "holds_categories": "holdings",
}


@strawberry.input(
    description="Which customers to list. All predicates set on one filter must hold (AND); "
    "and/or/not combine nested filters. Tag predicates join when the tag engine lands."
)
class CustomerFilter:
    and_: list[CustomerFilter] | None = strawberry.field(
        default=None, name="and", description="Every one of these filters holds."
    )
    or_: list[CustomerFilter] | None = strawberry.field(
        default=None, name="or", description="At least one of these filters holds."
    )
    not_: CustomerFilter | None = strawberry.field(
        default=None, name="not", description="This filter does not hold."
    )
    tiers: list[Tier] | None = strawberry.field(
        default=None, description="Asset tier is one of these."
    )
    risk_levels: list[int] | None = strawberry.field(
        default=None, description="Risk level (1–5) is one of these.", metadata=SMALLINT
    )
    cities: list[str] | None = strawberry.field(default=None, description="City is one of these.")
    provinces: list[str] | None = strawberry.field(
        default=None, description="Province is one of these."
    )
    advisors: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Assigned advisor is one of these (Advisor global IDs)."
    )
    branches: list[str] | None = strawberry.field(
        default=None, description="Serving branch is one of these."
    )
    aum: DecimalRange | None = strawberry.field(
        default=None, description="AUM (yuan) is within this range."
    )
    onboarded: DateTimeRange | None = strawberry.field(
        default=None, description="Onboarded within this range."
    )
    age: IntRange | None = strawberry.field(
        default=None,
        description="Age in whole years is within this range (0–150).",
        metadata=AGE,
    )
    holds_products: list[str] | None = strawberry.field(
        default=None, description="Holds at least one of these products (product codes)."
    )
    holds_categories: list[str] | None = strawberry.field(
        default=None, description="Holds a product of at least one of these categories."
    )

    def fields_used(self, depth: int = 0) -> set[str]:
        """The Customer fields (GraphQL names) this filter and its nested ones read."""
        if depth > MAX_NESTING:
            raise InvalidInput(f"filters nest at most {MAX_NESTING} levels deep", argument="filter")
        used = {f for attr, f in _FILTERED_FIELDS.items() if getattr(self, attr) is not None}
        for nested in [*(self.and_ or ()), *(self.or_ or ()), *([self.not_] if self.not_ else [])]:
            used |= nested.fields_used(depth + 1)
        return used

    def to_domain(self, audience: bytes, depth: int = 0) -> filters.CustomerFilter:
        """The domain filter; ``audience`` is the caller's, which ``advisors`` IDs were
        minted for."""
        if depth > MAX_NESTING:
            raise InvalidInput(f"filters nest at most {MAX_NESTING} levels deep", argument="filter")
        if self.holds_categories:
            unknown = sorted(set(self.holds_categories) - set(PRODUCT_CATEGORIES))
            if unknown:
                raise InvalidInput(
                    f"unknown categories {unknown}; valid are {list(PRODUCT_CATEGORIES)}",
                    argument="holdsCategories",
                )
        return filters.CustomerFilter(
            all_of=tuple(f.to_domain(audience, depth + 1) for f in self.and_ or ()),
            any_of=tuple(f.to_domain(audience, depth + 1) for f in self.or_ or ()),
            negate=self.not_.to_domain(audience, depth + 1) if self.not_ else None,
            tiers=_tuple(self.tiers),
            risk_levels=_tuple(self.risk_levels),
            cities=_tuple(self.cities),
            provinces=_tuple(self.provinces),
            advisor_ids=_tuple(
                [
                    parse_global_id(a, audience, "Advisor", argument="advisors")[1]
                    for a in self.advisors
                ]
                if self.advisors is not None
                else None
            ),
            branches=_tuple(self.branches),
            aum=self.aum.to_domain("aum") if self.aum else None,
            onboarded=self.onboarded.to_domain("onboarded") if self.onboarded else None,
            age=self.age.to_domain("age") if self.age else None,
            holds_products=_tuple(self.holds_products),
            holds_categories=_tuple(self.holds_categories),
        )


def _tuple(values: list[T] | None) -> tuple[T, ...] | None:
    return tuple(values) if values is not None else None
