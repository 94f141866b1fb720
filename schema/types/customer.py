from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import strawberry

from cdp.customers.tiers import RISK_LABELS, Tier, age_on, tier_for
from cdp.db.models import Customer as CustomerRow
from schema.types.holding import Holding
from schema.types.info import Info

AssetTier = strawberry.enum(
    Tier,
    name="AssetTier",
    description="Asset tier by AUM: MASS 大众, POTENTIAL 潜力, HIGH_NET_WORTH 高净值.",
)


@strawberry.type(description="A golden customer: one person after identity resolution.")
class Customer:
    row: strawberry.Private[CustomerRow]

    @strawberry.field(description="Customer number, stable and unique.")
    def customer_no(self) -> str:
        return self.row.customer_no

    @strawberry.field(description="Full name.")
    def name(self) -> str:
        return self.row.name

    @strawberry.field(description="M or F.")
    def gender(self) -> str | None:
        return self.row.gender

    @strawberry.field(description="Date of birth.")
    def birth_date(self) -> date | None:
        return self.row.birth_date

    @strawberry.field(description="Age in whole years today.")
    def age(self) -> int | None:
        return age_on(self.row.birth_date, date.today()) if self.row.birth_date else None

    @strawberry.field(description="Province of residence.")
    def province(self) -> str | None:
        return self.row.province

    @strawberry.field(description="City of residence.")
    def city(self) -> str | None:
        return self.row.city

    @strawberry.field(description="Occupation.")
    def occupation(self) -> str | None:
        return self.row.occupation

    @strawberry.field(description="Risk tolerance level 1–5 (C1 conservative … C5 aggressive).")
    def risk_level(self) -> int | None:
        return self.row.risk_level

    @strawberry.field(description="Risk level with its label, e.g. 'C3 平衡型'.")
    def risk_level_label(self) -> str | None:
        return RISK_LABELS.get(self.row.risk_level) if self.row.risk_level else None

    @strawberry.field(description="ordinary or professional investor.")
    def investor_class(self) -> str:
        return self.row.investor_class

    @strawberry.field(description="When the customer relationship began.")
    def onboarded_at(self) -> datetime:
        return self.row.onboarded_at

    @strawberry.field(description="active, dormant, closed or merged.")
    def status(self) -> str:
        return self.row.status

    @strawberry.field(description="Holdings, largest market value first.")
    async def holdings(self, info: Info) -> list[Holding]:
        rows = await info.context.holdings.load(self.row.id)
        return [Holding(row=h, product_row=p) for h, p in rows]

    @strawberry.field(description="Assets under management: the sum of holdings' market value.")
    async def aum(self, info: Info) -> Decimal:
        rows = await info.context.holdings.load(self.row.id)
        return sum((h.market_value for h, _ in rows), Decimal(0))

    @strawberry.field(description="Asset tier by AUM (thresholds are configurable).")
    async def tier(self, info: Info) -> Tier:
        rows = await info.context.holdings.load(self.row.id)
        return tier_for(sum((h.market_value for h, _ in rows), Decimal(0)), info.context.settings)
