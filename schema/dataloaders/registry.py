"""Every loader of one request, created together (loaders cache per request only)."""

from __future__ import annotations

from schema.dataloaders.activity_counts import ActivityCountLoader
from schema.dataloaders.advisor_customer_counts import AdvisorCustomerCountLoader
from schema.dataloaders.advisors import AdvisorLoader
from schema.dataloaders.base import Deps
from schema.dataloaders.consents import ConsentsLoader
from schema.dataloaders.customers import CustomerLoader
from schema.dataloaders.holder_counts import HolderCountLoader
from schema.dataloaders.holdings import HoldingsLoader
from schema.dataloaders.household_members import HouseholdMembersLoader
from schema.dataloaders.households import HouseholdLoader
from schema.dataloaders.interactions import InteractionsLoader
from schema.dataloaders.memberships import MembershipLoader
from schema.dataloaders.products import ProductLoader
from schema.dataloaders.referees import RefereesLoader
from schema.dataloaders.referrers import ReferrerLoader
from schema.dataloaders.transactions import TransactionsLoader


class Loaders:
    def __init__(self, deps: Deps) -> None:
        self.customers = CustomerLoader(deps)
        self.households = HouseholdLoader(deps)
        self.products = ProductLoader(deps)
        self.advisors = AdvisorLoader(deps)
        self.holdings = HoldingsLoader(deps)
        self.consents = ConsentsLoader(deps)
        self.memberships = MembershipLoader(deps)
        self.household_members = HouseholdMembersLoader(deps)
        self.referrers = ReferrerLoader(deps)
        self.referees = RefereesLoader(deps)
        self.holder_counts = HolderCountLoader(deps)
        self.advisor_customer_counts = AdvisorCustomerCountLoader(deps)
        self.transactions = TransactionsLoader(deps)
        self.interactions = InteractionsLoader(deps)
        self.activity_counts = ActivityCountLoader(deps)
