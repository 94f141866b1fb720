from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry

from schema.bounds import GRAPH_FIRST
from schema.dataloaders.activity_pages import interactions_page, transactions_page
from schema.relay import Connection, Node
from schema.types.advisor import Advisor
from schema.types.asset_tier import Tier
from schema.types.category_amount import CategoryAmount
from schema.types.consent import Consent
from schema.types.holding import Holding
from schema.types.info import Info
from schema.types.interaction_event import InteractionEvent
from schema.types.tag import Tag
from schema.types.transaction import Transaction

if TYPE_CHECKING:
    from schema.types.community import Community
    from schema.types.cross_sell import CrossSell, CrossSellPurpose
    from schema.types.household import Household
    from schema.types.referral import Referral

_KINDS = "Only these kinds; all when omitted."
_SINCE = "Only from this instant on (inclusive)."
_UNTIL = "Only before this instant (exclusive)."
_FIRST = "Page size, newest first (at most the configured maximum, default that maximum)."
_AFTER = "Cursor of the last item of the previous page."


@strawberry.type(description="A golden customer: one person after identity resolution.")
class Customer(Node):
    """Every field but the paged histories is a plain attribute, filled when the object
    is built (see ``schema.dataloaders.assemble``): graphql-core's default resolver
    then reads them without per-field resolver calls."""

    pk: strawberry.Private[int]
    advisor_pk: strawberry.Private[int | None]
    customer_no: str | None = strawberry.field(description="Customer number, stable and unique.")
    name: str | None = strawberry.field(description="Full name.")
    pseudonymous_id: str | None = strawberry.field(
        default=None,
        description="A stable identifier that reveals nothing about the person, for partner "
        "systems: the same customer always has the same value.",
    )
    phone: str | None = strawberry.field(
        default=None,
        description="Mobile phone (+86 normalised); masked as 138****1234 for some roles.",
    )
    email: str | None = strawberry.field(
        default=None, description="E-mail address; masked as a***@example.com for some roles."
    )
    id_number: str | None = strawberry.field(
        default=None,
        description="Resident ID number (decrypted on read); masked to its first and last "
        "character (3****************0) for some roles.",
    )
    gender: str | None = strawberry.field(description="M or F.")
    birth_date: date | None = strawberry.field(
        description="Date of birth; null for roles that see the ID number masked (it holds "
        "the birth date), which read age instead."
    )
    age: int | None = strawberry.field(description="Age in whole years today.")
    province: str | None = strawberry.field(description="Province of residence.")
    city: str | None = strawberry.field(description="City of residence.")
    occupation: str | None = strawberry.field(description="Occupation.")
    annual_income: Decimal | None = strawberry.field(description="Declared annual income, yuan.")
    risk_level: int | None = strawberry.field(
        description="Risk tolerance level 1–5 (C1 conservative … C5 aggressive)."
    )
    risk_level_label: str | None = strawberry.field(
        description="Risk level with its label, e.g. 'C3 平衡型'."
    )
    risk_assessed_at: date | None = strawberry.field(description="Date of the risk assessment.")
    risk_assessment_expired: bool | None = strawberry.field(
        description="True when the risk assessment is missing or older than one year."
    )
    investor_class: str | None = strawberry.field(description="ordinary or professional investor.")
    branch: str | None = strawberry.field(description="Branch that serves the customer.")
    onboarded_at: datetime | None = strawberry.field(
        description="When the customer relationship began."
    )
    status: str | None = strawberry.field(description="active, dormant, closed or merged.")
    aum: Decimal | None = strawberry.field(
        description="Assets under management: the sum of holdings' market value, in yuan."
    )
    tier: Tier | None = strawberry.field(
        description="Asset tier by AUM (thresholds are configurable)."
    )
    aum_by_category: list[CategoryAmount] | None = strawberry.field(
        default_factory=list, description="AUM split by product category, largest first."
    )
    holdings: list[Holding] | None = strawberry.field(
        default_factory=list, description="Holdings, largest market value first."
    )
    household: Annotated[Household, strawberry.lazy("schema.types.household")] | None = (
        strawberry.field(default=None, description="The customer's household, if any.")
    )
    household_relation: str | None = strawberry.field(
        default=None,
        description="Relation to the head of the household, if in one; shown only to "
        "callers who see every member of the household.",
    )
    referred_by: Annotated[Referral, strawberry.lazy("schema.types.referral")] | None = (
        strawberry.field(default=None, description="Who referred this customer, if anyone.")
    )
    referrals: list[Annotated[Referral, strawberry.lazy("schema.types.referral")]] | None = (
        strawberry.field(default_factory=list, description="Customers this customer referred.")
    )
    advisor: Advisor | None = strawberry.field(
        default=None, description="The assigned relationship manager."
    )
    consents: list[Consent] | None = strawberry.field(
        default_factory=list, description="Current consent per purpose."
    )
    tags: list[Tag] | None = strawberry.field(
        default_factory=list,
        description="Tag values with explanations, as computed by the tag engine.",
    )

    @strawberry.field(description="Transactions, newest first, filterable by kind and time.")
    async def transactions(
        self,
        info: Info,
        first: Annotated[int | None, strawberry.argument(description=_FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=_AFTER)] = None,
        kinds: Annotated[list[str] | None, strawberry.argument(description=_KINDS)] = None,
        since: Annotated[datetime | None, strawberry.argument(description=_SINCE)] = None,
        until: Annotated[datetime | None, strawberry.argument(description=_UNTIL)] = None,
    ) -> Connection[Transaction] | None:
        return await transactions_page(info, self.pk, first, after, kinds, since, until)

    @strawberry.field(description="Interaction events, newest first, by kind and time.")
    async def interactions(
        self,
        info: Info,
        first: Annotated[int | None, strawberry.argument(description=_FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=_AFTER)] = None,
        kinds: Annotated[list[str] | None, strawberry.argument(description=_KINDS)] = None,
        since: Annotated[datetime | None, strawberry.argument(description=_SINCE)] = None,
        until: Annotated[datetime | None, strawberry.argument(description=_UNTIL)] = None,
    ) -> Connection[InteractionEvent] | None:
        return await interactions_page(info, self.pk, first, after, kinds, since, until)

    @strawberry.field(
        description="Products to propose, best first, with score components and reasons "
        "(knowledge graph); within suitability, minimum investment and consent."
    )
    async def cross_sell(
        self,
        info: Info,
        first: Annotated[
            int, strawberry.argument(description="How many (1–50).", metadata=GRAPH_FIRST)
        ] = 5,
        purpose: Annotated[
            Annotated[CrossSellPurpose, strawberry.lazy("schema.types.cross_sell")] | None,
            strawberry.argument(
                description="What the list is for; MARKETING for marketers, ADVICE otherwise."
            ),
        ] = None,
    ) -> Annotated[CrossSell, strawberry.lazy("schema.types.cross_sell")] | None:
        from schema.types.cross_sell import cross_sell_of

        return await cross_sell_of(info, self.pk, first, purpose)

    @strawberry.field(
        description="The customer's community on the household–referral layer, if any."
    )
    async def community(
        self, info: Info
    ) -> Annotated[Community, strawberry.lazy("schema.types.community")] | None:
        from schema.types.community import community_of

        return await community_of(info, self.pk)
