"""Every loader of one request (loaders cache per request only)."""

from __future__ import annotations

from functools import cached_property

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
from schema.dataloaders.tag_values import TagInputsLoader, TagValuesLoader
from schema.dataloaders.transactions import TransactionsLoader


class Loaders:
    """Each loader is made on first use: a request uses a few of them, and making all
    fifteen up front was some 5 % of the CPU of a customer-360 page."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps
        self._holdings_by_columns: dict[frozenset[str], HoldingsLoader] = {}

    def holdings_with(self, columns: frozenset[str] | None) -> HoldingsLoader:
        """Holdings reading only ``columns`` of the optional ones; ``None``: all."""
        if columns is None:
            return self.holdings
        loader = self._holdings_by_columns.get(columns)
        if loader is None:
            loader = self._holdings_by_columns[columns] = HoldingsLoader(self._deps, columns)
        return loader

    @cached_property
    def customers(self) -> CustomerLoader:
        return CustomerLoader(self._deps)

    @cached_property
    def households(self) -> HouseholdLoader:
        return HouseholdLoader(self._deps)

    @cached_property
    def products(self) -> ProductLoader:
        return ProductLoader(self._deps)

    @cached_property
    def advisors(self) -> AdvisorLoader:
        return AdvisorLoader(self._deps)

    @cached_property
    def holdings(self) -> HoldingsLoader:
        return HoldingsLoader(self._deps)

    @cached_property
    def consents(self) -> ConsentsLoader:
        return ConsentsLoader(self._deps)

    @cached_property
    def tag_values(self) -> TagValuesLoader:
        return TagValuesLoader(self._deps)

    @cached_property
    def tag_inputs(self) -> TagInputsLoader:
        return TagInputsLoader(self._deps)

    @cached_property
    def memberships(self) -> MembershipLoader:
        return MembershipLoader(self._deps)

    @cached_property
    def household_members(self) -> HouseholdMembersLoader:
        return HouseholdMembersLoader(self._deps)

    @cached_property
    def referrers(self) -> ReferrerLoader:
        return ReferrerLoader(self._deps)

    @cached_property
    def referees(self) -> RefereesLoader:
        return RefereesLoader(self._deps)

    @cached_property
    def holder_counts(self) -> HolderCountLoader:
        return HolderCountLoader(self._deps)

    @cached_property
    def advisor_customer_counts(self) -> AdvisorCustomerCountLoader:
        return AdvisorCustomerCountLoader(self._deps)

    @cached_property
    def transactions(self) -> TransactionsLoader:
        return TransactionsLoader(self._deps)

    @cached_property
    def interactions(self) -> InteractionsLoader:
        return InteractionsLoader(self._deps)

    @cached_property
    def activity_counts(self) -> ActivityCountLoader:
        return ActivityCountLoader(self._deps)
