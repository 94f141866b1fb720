"""Row scopes as values: which rows of each entity a role set may see.

A policy names scopes (``p2, advisor, own_customers``, see ``policies.language``);
a request's scope is those names plus, for ``own_customers``, the calling
advisor. ``RowScope`` is that pair as a frozen, hashable value, so anything built
around a scope (a repository's prepared page statement, the predicate itself)
can be cached on the value: two requests of the same advisor build two equal
``RowScope`` objects and share every cache entry, two different advisors never do.

Each entity's predicate, over its own table:

- ``customer``: ``none`` is every customer; ``own_customers`` those whose advisor
  is the caller (a caller without an advisor id gets none from it);
  ``partner_sharing_consent`` those passing the ``partner_sharing`` consent gate,
  read at query time, so a withdrawal counts from the next request on. A role set
  sees the union of its scopes and no customer without any.
- ``household`` and ``advisor``: those with at least one customer in scope.
- ``product``: the catalogue, open to every role set with a scope at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, Literal

from sqlalchemy import ColumnElement, false, or_, select

from cdp.db.models import Advisor, Customer, Household, HouseholdMember
from policies.consent import PARTNER_SHARING
from policies.language import UNRESTRICTED

Entity = Literal["customer", "household", "product", "advisor"]
OWN_CUSTOMERS: Final = "own_customers"
PARTNER_SHARING_CONSENT: Final = "partner_sharing_consent"

# Built once: the expression is immutable and reusable, while building it (an
# aliased consent table) costs milliseconds, more than the query it adds to.
_PARTNER_SHARING_CUSTOMERS = PARTNER_SHARING.predicate(Customer.id)
_NO_ROWS = false()

# Predicates by (scope, entity). Equal scopes get the same expression object,
# which SQLAlchemy's statement cache then recognises cheaply; bounded because
# every advisor has a scope of their own.
_PREDICATES: dict[tuple[RowScope, Entity], ColumnElement[bool] | None] = {}
_MAX_PREDICATES = 4096


@dataclass(frozen=True, slots=True)
class RowScope:
    """The scope names of a role set and, where ``own_customers`` needs it, the
    caller's advisor id. Build it with ``of`` so equal scopes compare equal."""

    names: frozenset[str]
    advisor_id: int | None = None

    @classmethod
    def of(cls, names: Iterable[str], advisor_id: int | None = None) -> RowScope:
        """The scope of a caller: the advisor id is kept only where a scope reads it,
        so a marketer's scope is the same value whoever the marketer is."""
        names = frozenset(names)
        if UNRESTRICTED in names:
            return EVERY_ROW
        return cls(names, advisor_id if OWN_CUSTOMERS in names else None)

    @property
    def unrestricted(self) -> bool:
        return UNRESTRICTED in self.names

    def predicate(self, entity: Entity) -> ColumnElement[bool] | None:
        """The predicate over ``entity``'s table, ``None`` for every row."""
        key = (self, entity)
        try:
            return _PREDICATES[key]
        except KeyError:
            pass
        if len(_PREDICATES) >= _MAX_PREDICATES:
            _PREDICATES.clear()
        predicate = _PREDICATES[key] = self._build(entity)
        return predicate

    def _build(self, entity: Entity) -> ColumnElement[bool] | None:
        if not self.names:
            return _NO_ROWS
        if self.unrestricted or entity == "product":
            return None
        if entity == "customer":
            return self._customers()
        customers = self.predicate("customer")
        if customers is None:  # not reached: a restricted scope limits customers
            return None
        if entity == "household":
            members = (
                select(HouseholdMember.household_id)
                .join(Customer, Customer.id == HouseholdMember.customer_id)
                .where(customers)
            )
            return Household.id.in_(members)
        return Advisor.id.in_(
            select(Customer.advisor_id).where(customers, Customer.advisor_id.is_not(None))
        )

    def _customers(self) -> ColumnElement[bool]:
        predicates: list[ColumnElement[bool]] = []
        if OWN_CUSTOMERS in self.names and self.advisor_id is not None:
            predicates.append(Customer.advisor_id == self.advisor_id)
        if PARTNER_SHARING_CONSENT in self.names:
            predicates.append(_PARTNER_SHARING_CUSTOMERS)
        return or_(*predicates) if predicates else _NO_ROWS


EVERY_ROW: Final = RowScope(frozenset({UNRESTRICTED}))
NO_ROW: Final = RowScope(frozenset())
